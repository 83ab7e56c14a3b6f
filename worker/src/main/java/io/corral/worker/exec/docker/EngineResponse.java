package io.corral.worker.exec.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/** A complete Engine API response: status code and body. */
record EngineResponse(int status, byte[] body) {

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  JsonNode json() {
    return Json.parseObject(text());
  }

  boolean ok() {
    return status >= 200 && status < 300;
  }

  /** The daemon's error text: the "message" field of its JSON error body, else the body itself. */
  String errorMessage() {
    String text = text().strip();
    if (text.startsWith("{")) {
      try {
        JsonNode error = Json.parseObject(text);
        if (error.hasNonNull("message")) {
          return Json.string(error, "message");
        }
      } catch (RuntimeException notJson) {
        // fall through: show the raw body
      }
    }
    return text.isEmpty() ? "HTTP " + status : text;
  }
}
