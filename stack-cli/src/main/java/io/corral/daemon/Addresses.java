package io.corral.daemon;

import io.grpc.Status;
import java.net.InetSocketAddress;

/**
 * Parsing and defaulting of the host:port addresses `swarm init|join` take, with docker's rules.
 */
final class Addresses {

  private Addresses() {}

  /** host:port, with the default port when only a host is given. */
  static String withPort(String addr, int defaultPort) {
    if (addr == null || addr.isBlank()) {
      return "";
    }
    int colon = addr.lastIndexOf(':');
    if (colon > 0 && addr.indexOf(':') == colon) {
      port(addr);
      return addr;
    }
    return addr + ":" + defaultPort;
  }

  static String host(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return colon > 0 ? hostPort.substring(0, colon) : hostPort;
  }

  static int port(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (RuntimeException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "invalid address "
                  + hostPort
                  + ": expected host:port with "
                  + "a port between 1 and 65535")
          .asRuntimeException();
    }
  }

  static InetSocketAddress socket(String hostPort) {
    return new InetSocketAddress(host(hostPort), port(hostPort));
  }
}
