package io.corral.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words the way docker splits {@code --entrypoint} ({@code
 * google/shlex}): blanks separate words, single quotes keep everything literal, double quotes keep
 * blanks and honour backslash escapes, a backslash outside quotes escapes the next character, and
 * {@code #} at the start of a word starts a comment.
 */
public final class ShellWords {

  private ShellWords() {}

  /**
   * The words of {@code text}.
   *
   * @throws IllegalArgumentException on an unclosed quote or a trailing backslash
   */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i++);
      if (!inWord && Character.isWhitespace(c)) {
        continue;
      }
      if (!inWord && c == '#') {
        // A comment runs to the end of the line.
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (Character.isWhitespace(c)) {
        words.add(word.toString());
        word.setLength(0);
        inWord = false;
        continue;
      }
      inWord = true;
      switch (c) {
        case '\'' -> {
          int close = text.indexOf('\'', i);
          if (close < 0) {
            throw new IllegalArgumentException("EOF found when expecting closing quote");
          }
          word.append(text, i, close);
          i = close + 1;
        }
        case '"' -> {
          boolean closed = false;
          while (i < text.length()) {
            char d = text.charAt(i++);
            if (d == '"') {
              closed = true;
              break;
            }
            if (d == '\\' && i < text.length() && "\"\\$`\n".indexOf(text.charAt(i)) >= 0) {
              d = text.charAt(i++);
            }
            word.append(d);
          }
          if (!closed) {
            throw new IllegalArgumentException("EOF found when expecting closing quote");
          }
        }
        case '\\' -> {
          if (i >= text.length()) {
            throw new IllegalArgumentException("EOF found after escape character");
          }
          word.append(text.charAt(i++));
        }
        default -> word.append(c);
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
