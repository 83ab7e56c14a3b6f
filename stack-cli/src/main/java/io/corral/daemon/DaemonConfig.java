package io.corral.daemon;

import java.nio.file.Path;

/**
 * How the daemon was started.
 *
 * @param dataDir where identity, node state and Raft data live
 * @param socket the local API's unix socket
 * @param listenAddr host:port the cluster API binds to when this node is a manager (default
 *     0.0.0.0:2377)
 * @param advertiseAddr host (or host:port) other nodes reach this one at; may be empty until
 *     init/join
 * @param hostname the hostname this node reports (the machine's unless overridden)
 * @param executor how tasks run: {@code docker}, {@code process}, or {@code auto} (docker when an
 *     engine answers)
 * @param imageRoot where the process executor finds its images ({@code NAME/TAG/} directories)
 */
public record DaemonConfig(
    Path dataDir,
    Path socket,
    String listenAddr,
    String advertiseAddr,
    String hostname,
    String executor,
    Path imageRoot) {

  public static final int DEFAULT_API_PORT = 2377;
}
