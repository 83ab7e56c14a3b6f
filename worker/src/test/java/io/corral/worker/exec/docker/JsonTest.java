package io.corral.worker.exec.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesWhatItReadsBack() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Cmd", List.of("sh", "-c", "echo \"hi\"\\n\t\u0001 <&> é"));
    body.put("Memory", 64L * 1024 * 1024 * 1024);
    body.put("Init", true);
    body.put("Nothing", null);
    body.put("Labels", Map.of("io.corral.task.id", "t1"));
    String json = Json.write(body);
    assertEquals(new ObjectMapper().valueToTree(body), Json.parseObject(json));
  }

  @Test
  void readsGoEncoderOutput() {
    // Go escapes <, > and & as \\u003c...; a zero time means "never".
    JsonNode state =
        Json.parseObject(
            "{\"Status\":\"exited\",\"ExitCode\":3,\"Error\":\"a \\u003cb\\u003e\",\"OOMKilled\":false,"
                + "\"StartedAt\":\"2026-11-23T02:56:05.612554574Z\",\"FinishedAt\":\"0001-01-01T00:00:00Z\","
                + "\"Labels\":null}");
    assertEquals("exited", Json.string(state, "Status"));
    assertEquals(3, Json.number(state, "ExitCode"));
    assertEquals("a <b>", Json.string(state, "Error"));
    assertEquals(Instant.parse("2026-11-23T02:56:05.612554574Z"), Json.time(state, "StartedAt"));
    assertNull(Json.time(state, "FinishedAt"));
    assertEquals(Map.of(), Json.stringMap(state, "Labels"));
  }

  @Test
  void refusesFloatingPointSoThatIntegersStayExact() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("NanoCpus", 1.5)));
  }
}
