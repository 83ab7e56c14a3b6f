package io.corral.cli;

import io.grpc.Channel;

/** What a CLI command needs from its surroundings: a channel to the local daemon and where output goes. */
public interface CliContext {

  /** A channel to the local daemon's API (its unix socket); opened on first use. */
  Channel channel();

  /** The socket path the channel uses, for error messages. */
  String socketPath();
}
