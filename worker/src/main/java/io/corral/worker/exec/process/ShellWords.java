package io.corral.worker.exec.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a string into words the way a POSIX shell does for a simple command: blanks separate
 * words, single quotes keep everything literally, double quotes keep blanks (a backslash there
 * escapes only {@code $ ` " \} and newline), and an unquoted backslash escapes the next character.
 * No expansion of any kind happens.
 */
public final class ShellWords {

  private ShellWords() {}

  /**
   * The words of {@code text}; throws {@link IllegalArgumentException} naming the problem on an
   * unclosed quote.
   */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed single quote in: " + text);
        }
        word.append(text, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(text, i + 1, word);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 < text.length()) {
          char next = text.charAt(i + 1);
          if (next != '\n') { // backslash-newline is a line continuation
            word.append(next);
            inWord = true;
          }
          i += 2;
        } else {
          word.append('\\');
          inWord = true;
          i++;
        }
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /**
   * Appends the double-quoted part starting at {@code from} (after the quote); returns the index
   * after the close.
   */
  private static int doubleQuoted(String text, int from, StringBuilder word) {
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < text.length() && "$`\"\\\n".indexOf(text.charAt(i + 1)) >= 0) {
        if (text.charAt(i + 1) != '\n') {
          word.append(text.charAt(i + 1));
        }
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw new IllegalArgumentException("unclosed double quote in: " + text);
  }
}
