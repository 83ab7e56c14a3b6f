package io.corral.common;

import java.security.SecureRandom;

/** Unpredictable ids and secrets of lower-case base-36 characters, as docker's and swarmkit's. */
public final class RandomIds {

  /**
   * Object ids (nodes, clusters, services, tasks) look like docker's: 25 lower-case base-36
   * characters.
   */
  public static final int ID_LENGTH = 25;

  private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private RandomIds() {}

  /** A fresh object id of {@value #ID_LENGTH} characters. */
  public static String newId() {
    return base36(ID_LENGTH);
  }

  /**
   * A random string of {@code length} lower-case base-36 characters from a {@link SecureRandom}.
   */
  public static String base36(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      // nextInt(bound) is unbiased, unlike taking a random byte modulo 36.
      out[i] = BASE36[RANDOM.nextInt(BASE36.length)];
    }
    return new String(out);
  }
}
