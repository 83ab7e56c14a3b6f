package io.corral.daemon;

import io.corral.manager.ca.CaClient;
import io.corral.manager.ca.CertificateRenewer;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This node's identity (key, certificate, root CA) on disk and in memory, channels to the managers
 * presenting it, and its renewals: routine ones before it expires, and those that change its role
 * when it is promoted or demoted.
 */
final class NodeCertificates {

  private final Path dir;
  private final ClusterChannels channels = new ClusterChannels();
  private volatile NodeIdentity identity;
  private CertificateRenewer renewer;

  NodeCertificates(Path dir) {
    this.dir = dir;
  }

  /** The identity saved under the data dir, if any, now in use. */
  Optional<NodeIdentity> load() throws IOException {
    Optional<NodeIdentity> saved = NodeIdentity.loadIfPresent(dir);
    saved.ifPresent(id -> identity = id);
    return saved;
  }

  /** Saves a new identity (from init, join or a renewal) and uses it from now on. */
  synchronized void use(NodeIdentity id) throws IOException {
    id.save(dir);
    identity = id;
  }

  /** The identity in use, or null outside a cluster. */
  NodeIdentity current() {
    return identity;
  }

  /**
   * A channel to a manager's cluster API presenting the current identity (it changes on
   * promotion/demotion).
   */
  ManagedChannel channel(String addr) {
    return channels.open(addr, identity);
  }

  /**
   * A channel presenting {@code id}, for a node that is joining and has not saved its identity yet.
   */
  ManagedChannel channel(String addr, NodeIdentity id) {
    return channels.open(addr, id);
  }

  /**
   * Renews the certificate before it expires, at the manager {@code manager} names, and tells
   * {@code installed} of each renewed identity once in use.
   */
  synchronized void startRenewing(Supplier<String> manager, Consumer<NodeIdentity> installed) {
    stopRenewing();
    renewer =
        new CertificateRenewer(
                () -> identity,
                current -> renewAt(manager.get(), current),
                renewed -> {
                  install(renewed);
                  installed.accept(renewed);
                },
                new SecureRandom(),
                Duration.ofSeconds(1))
            .reschedule();
  }

  synchronized void stopRenewing() {
    if (renewer != null) {
      renewer.close();
      renewer = null;
    }
  }

  /** A routine renewal: same node, same role, at a manager this node reaches. */
  private NodeIdentity renewAt(String remote, NodeIdentity current)
      throws IOException, InterruptedException {
    if (remote == null) {
      throw new IOException("this node left the cluster");
    }
    ManagedChannel ch = channels.open(remote, current);
    try {
      return CaClient.renew(ch, current);
    } finally {
      ch.shutdownNow();
    }
  }

  private synchronized void install(NodeIdentity renewed) throws IOException {
    NodeIdentity now = identity;
    if (now == null || now.role() != renewed.role()) {
      throw new IOException(
          "the node's role changed during the renewal; not installing the certificate");
    }
    use(renewed);
  }

  /** Renews this node's certificate at a manager; waits until the CA grants the expected role. */
  synchronized NodeIdentity renewAs(String remote, NodeRole expected)
      throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      ManagedChannel ch = channels.open(remote, identity);
      try {
        NodeIdentity renewed = CaClient.renew(ch, identity);
        if (renewed.role() == expected) {
          use(renewed);
          if (renewer != null) {
            renewer.reschedule();
          }
          return renewed;
        }
      } finally {
        ch.shutdownNow();
      }
      Thread.sleep(200);
    }
    throw new IOException("the CA did not grant the " + expected + " role");
  }

  /** Stops renewing and forgets the identity (its files go with the data dir's cluster files). */
  synchronized void forget() {
    stopRenewing();
    identity = null;
  }
}
