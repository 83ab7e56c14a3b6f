package io.corral.manager.ca;

import io.corral.common.NamedThreads;
import io.corral.manager.tls.NodeIdentity;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a node's certificate automatically: at a random point between 50 % and 80 % of its
 * lifetime (so that nodes issued together do not renew together), then again from the renewed
 * certificate; failed attempts are retried with a growing delay. A renewal that comes back with
 * another role is not installed: role changes are the daemon's to carry out, because they also
 * start or stop the node's Raft member.
 */
public final class CertificateRenewer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewer.class);
  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);

  /** Obtains a renewed certificate for the given identity from a manager. */
  @FunctionalInterface
  public interface Renewal {
    NodeIdentity renew(NodeIdentity current) throws Exception;
  }

  /** Saves a renewed identity and switches the node's TLS to it. */
  @FunctionalInterface
  public interface Installer {
    void install(NodeIdentity renewed) throws Exception;
  }

  private final Supplier<NodeIdentity> current;
  private final Renewal renewal;
  private final Installer installer;
  private final Random random;
  private final Duration firstRetryDelay;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("certificate-renewal"));
  private ScheduledFuture<?> next;
  private Duration retryDelay;

  /**
   * @param current the identity the node uses now
   * @param firstRetryDelay the wait after a first failed attempt; it doubles on each further
   *     failure, up to five minutes
   */
  public CertificateRenewer(
      Supplier<NodeIdentity> current,
      Renewal renewal,
      Installer installer,
      Random random,
      Duration firstRetryDelay) {
    this.current = Objects.requireNonNull(current, "current");
    this.renewal = Objects.requireNonNull(renewal, "renewal");
    this.installer = Objects.requireNonNull(installer, "installer");
    this.random = Objects.requireNonNull(random, "random");
    this.firstRetryDelay = Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
    this.retryDelay = firstRetryDelay;
  }

  /**
   * Plans the next renewal from the current identity; call again after the identity changed
   * otherwise.
   */
  public synchronized CertificateRenewer reschedule() {
    NodeIdentity identity = current.get();
    if (identity != null) {
      Duration delay = identity.renewalDelay(random);
      LOG.info(
          "certificate of node {} expires at {}; renewing in {} s",
          identity.nodeId(),
          identity.notAfter(),
          delay.toSeconds());
      schedule(delay);
    }
    return this;
  }

  private synchronized void schedule(Duration delay) {
    if (next != null) {
      next.cancel(false);
    }
    if (!timer.isShutdown()) {
      next = timer.schedule(this::renewNow, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void renewNow() {
    NodeIdentity identity = current.get();
    if (identity == null) {
      return;
    }
    try {
      NodeIdentity renewed = renewal.renew(identity);
      if (renewed.role() != identity.role()) {
        // The managers changed this node's role; the daemon's role change will install a
        // certificate.
        throw new IllegalStateException(
            "the CA now gives node "
                + identity.nodeId()
                + " the "
                + renewed.role()
                + " role; leaving it to the role change");
      }
      installer.install(renewed);
      LOG.info(
          "renewed the certificate of node {}; it now expires at {}",
          renewed.nodeId(),
          renewed.notAfter());
      synchronized (this) {
        retryDelay = firstRetryDelay;
      }
      reschedule();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      Duration wait;
      synchronized (this) {
        wait = retryDelay;
        retryDelay =
            retryDelay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0
                ? MAX_RETRY_DELAY
                : retryDelay.multipliedBy(2);
      }
      LOG.warn(
          "could not renew the certificate of node {} (retrying in {} ms): {}",
          identity.nodeId(),
          wait.toMillis(),
          e.toString());
      schedule(wait);
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
  }
}
