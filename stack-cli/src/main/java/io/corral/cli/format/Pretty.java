package io.corral.cli.format;

/**
 * Docker's {@code formatter.PrettyPrint} for words: the first letter capitalised ({@code ready} →
 * {@code Ready}).
 */
public final class Pretty {

  private Pretty() {}

  /** {@code s} with its first character in upper case; empty stays empty. */
  public static String capitalize(String s) {
    if (s == null || s.isEmpty()) {
      return s == null ? "" : s;
    }
    int first = s.codePointAt(0);
    return new StringBuilder()
        .appendCodePoint(Character.toUpperCase(first))
        .append(s.substring(Character.charCount(first)))
        .toString();
  }
}
