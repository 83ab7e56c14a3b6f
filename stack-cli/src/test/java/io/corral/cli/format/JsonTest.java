package io.corral.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void escapesAsGoDoes() {
    // Go's encoding/json escapes <, > and & (and U+2028/U+2029) for HTML; control characters in
    // lower-case hex.
    assertThat(
            Json.compact(Map.of("a<b>", "x && y <z> \u2028\u2029 \"q\" \\ \n\r\t \u0001\u001f é")))
        .isEqualTo(
            "{\"a\\u003cb\\u003e\":\"x \\u0026\\u0026 y \\u003cz\\u003e \\u2028\\u2029 \\\"q\\\" \\\\ "
                + "\\n\\r\\t \\u0001\\u001f é\"}");
  }

  @Test
  void indentsWithFourSpacesAsMarshalIndent() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ID", "n1");
    m.put("Labels", new TreeMap<>());
    m.put("Empty", List.of());
    m.put("Ports", List.of(1, 2L));
    m.put("Nested", Map.of("Leader", true));
    m.put("Nothing", null);
    assertThat(Json.indented(List.of(m)))
        .isEqualTo(
            """
        [
            {
                "ID": "n1",
                "Labels": {},
                "Empty": [],
                "Ports": [
                    1,
                    2
                ],
                "Nested": {
                    "Leader": true
                },
                "Nothing": null
            }
        ]""");
  }

  @Test
  void writesCompactLikeMarshal() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Ratio", 0.0);
    m.put("Half", 0.5);
    m.put("Bytes", new byte[] {1, 2, 3});
    m.put("List", List.of("a", "b"));
    m.put("Empty", Map.of());
    assertThat(Json.compact(m))
        .isEqualTo(
            "{\"Ratio\":0,\"Half\":0.5,\"Bytes\":\"AQID\",\"List\":[\"a\",\"b\"],\"Empty\":{}}");
  }
}
