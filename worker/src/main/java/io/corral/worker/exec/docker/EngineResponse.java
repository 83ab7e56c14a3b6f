package io.corral.worker.exec.docker;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete Engine API response: status code and body. */
record EngineResponse(int status, byte[] body) {

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  Map<String, Object> json() {
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
        Object message = Json.parseObject(text).get("message");
        if (message != null) {
          return message.toString();
        }
      } catch (RuntimeException notJson) {
        // fall through: show the raw body
      }
    }
    return text.isEmpty() ? "HTTP " + status : text;
  }
}
