package io.corral.cli.network;

import io.corral.cli.format.CliFailure;

/**
 * The syntax of the IPv4 addresses and CIDRs the network flags take (their meaning, such as
 * overlaps, is the manager's to check).
 */
final class Cidr {

  private Cidr() {}

  /** Checks that {@code text} is {@code a.b.c.d/len}; throws naming {@code flag}. */
  static void parse(String flag, String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw invalid(flag, text, "invalid CIDR address: " + text);
    }
    if (!isAddress(text.substring(0, slash))) {
      throw invalid(flag, text, "invalid CIDR address: " + text);
    }
    String length = text.substring(slash + 1);
    if (!length.matches("\\d{1,2}") || Integer.parseInt(length) > 32) {
      throw invalid(flag, text, "invalid CIDR address: " + text);
    }
  }

  /** Checks that {@code text} is a dotted IPv4 address; throws naming {@code flag}. */
  static void address(String flag, String text) {
    if (!isAddress(text)) {
      throw invalid(flag, text, "invalid IP address: " + text);
    }
  }

  static boolean isAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static CliFailure invalid(String flag, String value, String why) {
    return new CliFailure("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
  }
}
