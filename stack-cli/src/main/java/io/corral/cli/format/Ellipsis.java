package io.corral.cli.format;

/** Docker's {@code formatter.Ellipsis}: text cut to a display width, ending in "…" when cut. */
public final class Ellipsis {

  private Ellipsis() {}

  /**
   * {@code s} if it fits in {@code width} characters, else its first {@code width - 1} characters
   * and "…".
   */
  public static String of(String s, int width) {
    if (width <= 0) {
      return "";
    }
    int length = s.codePointCount(0, s.length());
    if (length <= width) {
      return s;
    }
    if (width == 1) {
      return "…";
    }
    return s.substring(0, s.offsetByCodePoints(0, width - 1)) + "…";
  }

  /** Docker's {@code stringid.TruncateID}: the first 12 characters of an id. */
  public static String id(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
