package io.corral.testcluster.cluster;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Reachability between namespaces without ping or nc (neither is installed): a TCP connect from
 * bash to a port nobody listens on. "Connection refused" means the SYN got there and the RST came
 * back, so both directions work; a partitioned peer gives no answer and the connect times out.
 */
final class Probe {

  private static final int CLOSED_PORT = 9;

  private Probe() {}

  /**
   * Whether a TCP round trip works from the namespace {@code inside} wraps commands for, to {@code
   * address}.
   */
  static boolean reachable(Function<List<String>, List<String>> inside, String address) {
    CommandResult r =
        Shell.run(
            inside.apply(
                List.of(
                    "timeout",
                    "1",
                    "bash",
                    "-c",
                    "exec 3<>/dev/tcp/" + address + "/" + CLOSED_PORT)),
            Duration.ofSeconds(10));
    return r.ok() || r.stderr().contains("Connection refused");
  }
}
