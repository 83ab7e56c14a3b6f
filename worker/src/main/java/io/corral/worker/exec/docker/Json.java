package io.corral.worker.exec.docker;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Engine API's JSON through Jackson: request bodies from maps and lists, responses read as
 * trees.
 */
final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          // Doubles are never needed by the Engine API calls; refusing them keeps integers exact.
          .addModule(
              new SimpleModule("engine-api")
                  .addSerializer(Double.class, new Refused<>())
                  .addSerializer(Float.class, new Refused<>()))
          .build();

  private Json() {}

  /** Parses a JSON document; an empty document is a missing node. */
  static JsonNode parse(String json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      return node == null ? MissingNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses a JSON object; an empty document is an empty object. */
  static JsonNode parseObject(String json) {
    JsonNode value = parse(json);
    if (value.isMissingNode() || value.isNull()) {
      return MAPPER.createObjectNode();
    }
    if (!value.isObject()) {
      throw new IllegalArgumentException("expected a JSON object, got " + value.getNodeType());
    }
    return value;
  }

  /** Writes maps (string keys), lists, strings, integers, booleans and nulls as compact JSON. */
  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static final class Refused<T extends Number> extends JsonSerializer<T> {
    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider provider) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }

  // Typed reads of parsed objects: absent or null fields read as the zero value, as in Go's encoder
  // output.

  static JsonNode object(JsonNode m, String key) {
    JsonNode v = m.path(key);
    return v.isObject() ? v : MAPPER.createObjectNode();
  }

  static String string(JsonNode m, String key) {
    JsonNode v = m.path(key);
    return v.isMissingNode() || v.isNull() ? "" : text(v);
  }

  static long number(JsonNode m, String key) {
    JsonNode v = m.path(key);
    return v.isNumber() ? v.longValue() : 0L;
  }

  static boolean bool(JsonNode m, String key) {
    return m.path(key).booleanValue();
  }

  static Map<String, String> stringMap(JsonNode m, String key) {
    Map<String, String> out = new LinkedHashMap<>();
    object(m, key)
        .fields()
        .forEachRemaining(
            e -> out.put(e.getKey(), e.getValue().isNull() ? "" : text(e.getValue())));
    return out;
  }

  static List<String> stringList(JsonNode m, String key) {
    List<String> out = new ArrayList<>();
    JsonNode v = m.path(key);
    if (v.isArray()) {
      v.forEach(item -> out.add(item.isNull() ? "null" : text(item)));
    }
    return out;
  }

  /** An RFC 3339 time; Go's zero time (year 1) and absence read as null. */
  static Instant time(JsonNode m, String key) {
    String v = string(m, key);
    if (v.isEmpty() || v.startsWith("0001-01-01")) {
      return null;
    }
    return Instant.parse(v);
  }

  private static String text(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
