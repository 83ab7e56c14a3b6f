package io.corral.daemon;

import java.security.SecureRandom;

/** New cluster and node ids: 25 random lower-case letters and digits, as swarmkit's identity package makes them. */
final class NodeIds {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private NodeIds() {}

  static String random() {
    StringBuilder sb = new StringBuilder(25);
    for (int i = 0; i < 25; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
