package io.corral.cli;

import io.grpc.Channel;
import java.time.Clock;

/**
 * What a CLI command needs from its surroundings: a channel to the local daemon and where output
 * goes.
 */
public interface CliContext {

  /** A channel to the local daemon's API (its unix socket); opened on first use. */
  Channel channel();

  /** The socket path the channel uses, for error messages. */
  String socketPath();

  /** The clock "5 seconds ago" and convergence timeouts are measured with. */
  default Clock clock() {
    return Clock.systemUTC();
  }

  /** Standard input, where confirmations ({@code network prune}'s "[y/N]") are read. */
  default java.io.InputStream stdin() {
    return System.in;
  }

  /** Whether standard output is a terminal (progress is then redrawn in place, like docker's). */
  default boolean terminal() {
    return System.console() != null;
  }
}
