package io.corral.worker.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The node's own resolvers: the {@code nameserver} lines of a resolv.conf, where names go on. */
public final class ResolvConf {
  public static final Path NODE = Path.of("/etc/resolv.conf");
  static final int DNS_PORT = 53;

  private ResolvConf() {}

  /** The nameservers of {@code file}; none if it is missing or unreadable (forwarding is off). */
  public static List<InetSocketAddress> nameservers(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The {@code nameserver} addresses in resolv.conf text, in order; bad lines are skipped. */
  static List<InetSocketAddress> parse(String text) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      String[] f = line.split("\\s+");
      if (f.length < 2 || !f[0].equals("nameserver")) {
        continue;
      }
      InetAddress a = literal(f[1]);
      if (a != null) {
        out.add(new InetSocketAddress(a, DNS_PORT));
      }
    }
    return List.copyOf(out);
  }

  // Only literals: resolving a name here would need the very DNS being configured.
  private static InetAddress literal(String s) {
    if (s.indexOf(':') < 0) {
      return s.indexOf('/') < 0 ? Resolver.address(s) : null;
    }
    if (!s.matches("[0-9A-Fa-f:.]+(%[\\w.-]+)?")) {
      return null;
    }
    try {
      return InetAddress.getByName(s); // with ':', parsed as an IPv6 literal, never looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
