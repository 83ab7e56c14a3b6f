package io.corral.cli.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes JSON the way Go's {@code encoding/json} does for the docker CLI: maps, collections,
 * strings, numbers, booleans, enums, null, and byte arrays as base64; HTML-sensitive characters
 * escaped as {@code \u003c}. Map order is the map's iteration order (pass a {@code TreeMap} for
 * Go's sorted map keys, a {@code LinkedHashMap} for a struct's field order).
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(
              new SimpleModule("go-numbers")
                  .addSerializer(Double.class, new GoFloat<>())
                  .addSerializer(Float.class, new GoFloat<>()))
          .build();
  private static final ObjectWriter COMPACT = MAPPER.writer().with(new GoEscapes());
  private static final ObjectWriter INDENTED = COMPACT.with(goIndent());

  private Json() {}

  /** One line, as {@code json.Marshal} / {@code {{json .}}}. */
  public static String compact(Object value) {
    return write(COMPACT, value);
  }

  /**
   * Indented by four spaces, as {@code json.MarshalIndent(v, "", " ")} in {@code docker inspect}.
   */
  public static String indented(Object value) {
    return write(INDENTED, value);
  }

  private static String write(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Go's layout: {@code "key": value}, every array element and field on its own line, and {@code
   * {}}, {@code []}.
   */
  private static DefaultPrettyPrinter goIndent() {
    Separators separators =
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator("");
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
    DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
    printer.indentObjectsWith(indenter);
    printer.indentArraysWith(indenter);
    return printer;
  }

  /**
   * Go's string escapes: {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, other control
   * characters as lower-case hexadecimal escapes, and {@code <}, {@code >}, {@code &}, U+2028 and
   * U+2029 as {@code \u003c} etc. so that JSON can be embedded in HTML and JavaScript.
   */
  private static final class GoEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    GoEscapes() {
      for (int c = 0; c < 0x20; c++) {
        if (c != '\n' && c != '\r' && c != '\t') {
          ascii[c] = ESCAPE_CUSTOM;
        }
      }
      ascii['<'] = ESCAPE_CUSTOM;
      ascii['>'] = ESCAPE_CUSTOM;
      ascii['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == '\u2028' || ch == '\u2029') {
        return new SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }

  /**
   * Whole floating-point numbers print without a fraction, as Go's {@code strconv} 'g'-style
   * formatting does.
   */
  private static final class GoFloat<T extends Number> extends JsonSerializer<T> {
    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      double d = value.doubleValue();
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
        gen.writeNumber(Long.toString((long) d));
      } else {
        gen.writeNumber(Double.toString(d));
      }
    }
  }
}
