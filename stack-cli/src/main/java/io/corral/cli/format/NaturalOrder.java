package io.corral.cli.format;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Docker's list order for names ({@code sortorder.NaturalLess}): digit runs compare as numbers, so
 * {@code node2} sorts before {@code node10}; everything else compares bytewise.
 */
public final class NaturalOrder implements Comparator<String> {

  /** The shared instance. */
  public static final NaturalOrder INSTANCE = new NaturalOrder();

  private NaturalOrder() {}

  @Override
  public int compare(String a, String b) {
    if (less(a, b)) {
      return -1;
    }
    return less(b, a) ? 1 : 0;
  }

  /** A direct port of sortorder.NaturalLess, on UTF-8 bytes like the original. */
  static boolean less(String left, String right) {
    byte[] s1 = left.getBytes(StandardCharsets.UTF_8);
    byte[] s2 = right.getBytes(StandardCharsets.UTF_8);
    int i1 = 0;
    int i2 = 0;
    while (i1 < s1.length && i2 < s2.length) {
      int c1 = s1[i1] & 0xff;
      int c2 = s2[i2] & 0xff;
      boolean d1 = isDigit(c1);
      boolean d2 = isDigit(c2);
      if (d1 != d2) {
        return d1; // digits sort before other characters
      }
      if (!d1) {
        if (c1 != c2) {
          return c1 < c2;
        }
        i1++;
        i2++;
        continue;
      }
      while (i1 < s1.length && s1[i1] == '0') {
        i1++;
      }
      while (i2 < s2.length && s2[i2] == '0') {
        i2++;
      }
      int nz1 = i1;
      int nz2 = i2;
      while (i1 < s1.length && isDigit(s1[i1] & 0xff)) {
        i1++;
      }
      while (i2 < s2.length && isDigit(s2[i2] & 0xff)) {
        i2++;
      }
      int len1 = i1 - nz1;
      int len2 = i2 - nz2;
      if (len1 != len2) {
        return len1 < len2;
      }
      int cmp =
          new String(s1, nz1, len1, StandardCharsets.US_ASCII)
              .compareTo(new String(s2, nz2, len2, StandardCharsets.US_ASCII));
      if (cmp != 0) {
        return cmp < 0;
      }
      if (nz1 != nz2) {
        return nz1 < nz2; // fewer leading zeros first
      }
    }
    return s1.length < s2.length;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }
}
