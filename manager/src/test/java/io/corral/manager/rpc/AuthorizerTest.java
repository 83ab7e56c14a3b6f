package io.corral.manager.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.corral.api.ControlGrpc;
import io.corral.api.DispatcherGrpc;
import io.corral.api.HeartbeatRequest;
import io.corral.api.HeartbeatResponse;
import io.corral.api.InfoRequest;
import io.corral.api.ListNodesRequest;
import io.corral.api.ListNodesResponse;
import io.corral.api.LocalSwarmGrpc;
import io.corral.api.Node;
import io.corral.manager.ca.CaFixture;
import io.corral.manager.tls.NodeIdentity;
import io.corral.manager.tls.NodeRole;
import io.corral.manager.tls.PeerIdentity;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may call what on the cluster API, over real mutual TLS on loopback. */
class AuthorizerTest {

  private CaFixture cluster =
      CaFixture.start(
          new WhoAmIControl(), new EchoDispatcher(), new LocalSwarmGrpc.LocalSwarmImplBase() {});

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void workerCertificateCannotCallTheControlApi() {
    NodeIdentity worker = cluster.node("w1", NodeRole.WORKER);

    assertRefused(
        () -> control(cluster.channel(worker)).listNodes(ListNodesRequest.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED,
        "permission denied: a worker node cannot call corral.api.Control/ListNodes; only managers can");
  }

  @Test
  void managerCallsTheControlApiAndTheServiceSeesWhoItIs() {
    ListNodesResponse response =
        control(cluster.channel(cluster.manager()))
            .listNodes(ListNodesRequest.getDefaultInstance());

    assertThat(response.getNodesList())
        .extracting(Node::getId)
        .containsExactly(CaFixture.MANAGER_ID);
  }

  @Test
  void workerMayUseTheAgentServices() {
    NodeIdentity worker = cluster.node("w1", NodeRole.WORKER);

    HeartbeatResponse response =
        DispatcherGrpc.newBlockingStub(cluster.channel(worker))
            .heartbeat(HeartbeatRequest.getDefaultInstance());

    assertThat(response.getPeriod().getSeconds()).isEqualTo(5);
  }

  @Test
  void callerWithoutCertificateIsUnauthenticatedOutsideTheCa() {
    ManagedChannel anonymous = cluster.anonymousChannel();

    assertRefused(
        () -> control(anonymous).listNodes(ListNodesRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "this call needs a node certificate of the cluster");
    assertRefused(
        () ->
            DispatcherGrpc.newBlockingStub(anonymous)
                .heartbeat(HeartbeatRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "this call needs a node certificate of the cluster");
  }

  @Test
  void methodWithoutARuleIsRefusedByDefault() {
    assertRefused(
        () ->
            LocalSwarmGrpc.newBlockingStub(cluster.channel(cluster.manager()))
                .info(InfoRequest.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED,
        "corral.api.LocalSwarm/Info has no access rule");
  }

  @Test
  void removedNodeIsRefusedOnItsOpenConnectionAndOnNewOnes() {
    NodeIdentity worker = cluster.node("w1", NodeRole.WORKER);
    ManagedChannel open = cluster.channel(worker);
    DispatcherGrpc.newBlockingStub(open).heartbeat(HeartbeatRequest.getDefaultInstance());

    cluster.remove("w1");

    assertRefused(
        () -> DispatcherGrpc.newBlockingStub(open).heartbeat(HeartbeatRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "node w1 was removed from the cluster; it must join again with a new token");
    // a new connection does not get past the handshake
    assertThatThrownBy(
            () ->
                DispatcherGrpc.newBlockingStub(cluster.channel(worker))
                    .heartbeat(HeartbeatRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void anonymousMethodsStillIdentifyCallersWithACertificate() {
    cluster.close();
    Map<String, Authorizer.Access> rules = new HashMap<>(Authorizer.defaultRules());
    rules.put(ControlGrpc.getListNodesMethod().getFullMethodName(), Authorizer.Access.ANONYMOUS);
    cluster = CaFixture.start(rules, new WhoAmIControl());

    ListNodesResponse identified =
        control(cluster.channel(cluster.manager()))
            .listNodes(ListNodesRequest.getDefaultInstance());
    ListNodesResponse anonymous =
        control(cluster.anonymousChannel()).listNodes(ListNodesRequest.getDefaultInstance());

    assertThat(identified.getNodesList())
        .extracting(Node::getId)
        .containsExactly(CaFixture.MANAGER_ID);
    assertThat(anonymous.getNodesList()).isEmpty();
  }

  @Test
  void callerOutsideACallIsUnauthenticated() {
    assertThat(Authorizer.callerIfAny()).isEmpty();
    assertRefused(Authorizer::caller, Status.Code.UNAUTHENTICATED, "needs a node certificate");
  }

  private static ControlGrpc.ControlBlockingStub control(ManagedChannel channel) {
    return ControlGrpc.newBlockingStub(channel);
  }

  private static void assertRefused(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  /** A Control API whose ListNodes answers with the caller's node, if it has one. */
  private static final class WhoAmIControl extends ControlGrpc.ControlImplBase {
    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResponse> out) {
      ListNodesResponse.Builder response = ListNodesResponse.newBuilder();
      Authorizer.callerIfAny()
          .map(PeerIdentity::nodeId)
          .ifPresent(id -> response.addNodes(Node.newBuilder().setId(id)));
      out.onNext(response.build());
      out.onCompleted();
    }
  }

  /** A Dispatcher whose Heartbeat needs to know the caller. */
  private static final class EchoDispatcher extends DispatcherGrpc.DispatcherImplBase {
    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
      Authorizer.caller();
      out.onNext(
          HeartbeatResponse.newBuilder()
              .setPeriod(com.google.protobuf.Duration.newBuilder().setSeconds(5))
              .build());
      out.onCompleted();
    }
  }
}
