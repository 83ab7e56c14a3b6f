package io.corral.manager.rpc;

import io.corral.api.CAGrpc;
import io.corral.api.ControlGrpc;
import io.corral.api.DispatcherGrpc;
import io.corral.api.LogBrokerGrpc;
import io.corral.api.NodeCAGrpc;
import io.corral.api.RaftMembershipGrpc;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerIdentity;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every cluster API call by the caller's verified node certificate and authorises it
 * by the role the certificate names, from a per-method rule table; methods without a rule are
 * refused.
 */
public final class Authorizer implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);

  /** Who may call a method. */
  public enum Access {
    /**
     * Anyone who completes the TLS handshake, certificate or not (joiners); a certificate still
     * identifies.
     */
    ANONYMOUS,
    /** Any node of the cluster, worker or manager. */
    ANY_NODE,
    /** Managers only. */
    MANAGERS_ONLY
  }

  /** The caller of the current call, when it presented a node certificate. */
  public static final Context.Key<PeerIdentity> PEER = Context.key("corral-peer");

  private static final Map<String, Access> DEFAULT_RULES =
      Map.of(
          CAGrpc.getGetRootCACertificateMethod().getFullMethodName(),
          Access.ANONYMOUS,
          CAGrpc.getGetUnlockKeyMethod().getFullMethodName(),
          Access.MANAGERS_ONLY,
          NodeCAGrpc.getIssueNodeCertificateMethod().getFullMethodName(),
          Access.ANONYMOUS,
          NodeCAGrpc.getNodeCertificateStatusMethod().getFullMethodName(),
          Access.ANONYMOUS,
          DispatcherGrpc.SERVICE_NAME,
          Access.ANY_NODE,
          LogBrokerGrpc.SERVICE_NAME,
          Access.ANY_NODE,
          ControlGrpc.SERVICE_NAME,
          Access.MANAGERS_ONLY,
          RaftMembershipGrpc.SERVICE_NAME,
          Access.MANAGERS_ONLY);

  private final Map<String, Access> rules;
  private final Supplier<? extends Set<String>> removedNodes;

  /** The rules of {@link #defaultRules()}. */
  public Authorizer(Supplier<? extends Set<String>> removedNodes) {
    this(DEFAULT_RULES, removedNodes);
  }

  /**
   * @param rules access by full method name ({@code corral.api.CA/GetUnlockKey}) or by service name
   *     ({@code corral.api.Control}); a method rule wins over its service's
   * @param removedNodes ids of nodes removed from the cluster, read on every call so that a removal
   *     also cuts off connections opened before it (e.g. the keys of {@code
   *     Cluster.blacklisted_certificates})
   */
  public Authorizer(Map<String, Access> rules, Supplier<? extends Set<String>> removedNodes) {
    this.rules = Map.copyOf(rules);
    this.removedNodes = Objects.requireNonNull(removedNodes, "removedNodes");
  }

  /**
   * The cluster API's rules: CA reads and joining anonymous, agent services any node, the rest
   * managers.
   */
  public static Map<String, Access> defaultRules() {
    return DEFAULT_RULES;
  }

  /**
   * The node calling the current call.
   *
   * @throws io.grpc.StatusRuntimeException UNAUTHENTICATED when the caller presented no certificate
   *     (only possible in {@link Access#ANONYMOUS} methods) or the call did not pass through an
   *     Authorizer
   */
  public static PeerIdentity caller() {
    return callerIfAny()
        .orElseThrow(
            () ->
                Status.UNAUTHENTICATED
                    .withDescription("this call needs a node certificate of the cluster")
                    .asRuntimeException());
  }

  /** The node calling the current call, or empty for a caller without a certificate. */
  public static Optional<PeerIdentity> callerIfAny() {
    return Optional.ofNullable(PEER.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Status refusal;
    PeerIdentity peer = null;
    try {
      peer = peerOf(call);
      refusal = check(method, peer);
    } catch (CertificateException e) {
      refusal =
          Status.UNAUTHENTICATED.withDescription(
              "the client certificate is not a node certificate of "
                  + "this cluster: "
                  + e.getMessage());
    } catch (RuntimeException e) {
      // Fail closed: if we cannot tell whether the caller was removed, we must not let it in.
      LOG.warn("cannot authorise a call to {}: {}", method, e.toString());
      refusal =
          Status.UNAVAILABLE
              .withDescription(
                  "cannot authorise the call to "
                      + method
                      + " right now: "
                      + e.getMessage()
                      + "; retry")
              .withCause(e);
    }
    if (refusal != null) {
      LOG.debug(
          "refused {} from {}: {}",
          method,
          peer == null ? "a caller without certificate" : peer.nodeId(),
          refusal.getDescription());
      call.close(refusal, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (peer == null) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(PEER, peer), call, headers, next);
  }

  /** Why the call must be refused, or null to let it through. */
  private Status check(String method, PeerIdentity peer) {
    Access access = accessFor(method);
    if (access == null) {
      return Status.PERMISSION_DENIED.withDescription(
          "permission denied: "
              + method
              + " has no access rule on "
              + "this server, so nobody may call it");
    }
    if (peer != null && removedNodes.get().contains(peer.nodeId())) {
      return Status.UNAUTHENTICATED.withDescription(
          "node "
              + peer.nodeId()
              + " was removed from the cluster; "
              + "it must join again with a new token");
    }
    if (peer == null && access != Access.ANONYMOUS) {
      return Status.UNAUTHENTICATED.withDescription(
          "this call needs a node certificate of the cluster; "
              + method
              + " was called without one");
    }
    if (access == Access.MANAGERS_ONLY && peer.role() != NodeRole.MANAGER) {
      return Status.PERMISSION_DENIED.withDescription(
          "permission denied: a "
              + roleName(peer.role())
              + " node cannot call "
              + method
              + "; only managers can");
    }
    return null;
  }

  private Access accessFor(String method) {
    Access byMethod = rules.get(method);
    if (byMethod != null) {
      return byMethod;
    }
    String service = MethodDescriptor.extractFullServiceName(method);
    return service == null ? null : rules.get(service);
  }

  /**
   * The identity in the caller's certificate, or null without one. The handshake already verified
   * the chain against the cluster root; validity is checked again because a connection can outlive
   * its certificate.
   */
  private static PeerIdentity peerOf(ServerCall<?, ?> call) throws CertificateException {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return null;
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
    if (chain == null || chain.length == 0) {
      return null;
    }
    if (!(chain[0] instanceof X509Certificate leaf)) {
      throw new CertificateException("it is a " + chain[0].getType() + " certificate, not X.509");
    }
    PeerIdentity peer = PeerIdentity.of(leaf);
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new CertificateException(
          "the certificate of node "
              + peer.nodeId()
              + " is valid only from "
              + leaf.getNotBefore().toInstant()
              + " to "
              + leaf.getNotAfter().toInstant()
              + "; renew it, or join again if it expired",
          e);
    }
    return peer;
  }

  private static String roleName(NodeRole role) {
    return role.name().toLowerCase(Locale.ROOT);
  }
}
