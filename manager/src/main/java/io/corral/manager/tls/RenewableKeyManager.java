package io.corral.manager.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose certificate and key can be swapped while servers and clients built on it keep
 * running: every new TLS handshake presents the identity last given to {@link #use}, which is how a
 * renewed certificate reaches the cluster API server and the Raft transport without restarting
 * them.
 */
public final class RenewableKeyManager extends X509ExtendedKeyManager {

  /**
   * One identity under an alias of its own, so that a handshake never pairs one chain with another
   * key.
   */
  private record Material(String alias, PrivateKey key, X509Certificate[] chain) {}

  private final AtomicLong generation = new AtomicLong();
  // The previous material stays resolvable for handshakes that chose its alias just before a swap.
  private volatile Material current;
  private volatile Material previous;

  public RenewableKeyManager(NodeIdentity identity) {
    use(identity);
  }

  /** From the next handshake on, presents this identity. */
  public synchronized void use(NodeIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    previous = current;
    current =
        new Material(
            "corral-" + generation.incrementAndGet(),
            identity.privateKey(),
            identity.chain().toArray(X509Certificate[]::new));
  }

  private String aliasFor(String keyType) {
    Material m = current;
    // TLS asks for "EC"; a key loaded through some providers calls itself "ECDSA".
    String algorithm = m.key().getAlgorithm().equals("ECDSA") ? "EC" : m.key().getAlgorithm();
    return algorithm.equals(keyType) ? m.alias() : null;
  }

  private String aliasFor(String[] keyTypes) {
    return keyTypes == null
        ? null
        : Arrays.stream(keyTypes)
            .map(this::aliasFor)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
  }

  private Material find(String alias) {
    for (Material m : new Material[] {current, previous}) {
      if (m != null && m.alias().equals(alias)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = aliasFor(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Material m = find(alias);
    return m == null ? null : m.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Material m = find(alias);
    return m == null ? null : m.key();
  }
}
