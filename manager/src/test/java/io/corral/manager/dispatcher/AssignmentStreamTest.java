package io.corral.manager.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.AssignmentChange;
import io.corral.api.AssignmentsMessage;
import io.corral.api.ServiceEndpoints;
import io.corral.api.TaskEndpoint;
import io.corral.manager.store.InMemoryStore;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How one node's stream packs changes into messages. */
class AssignmentStreamTest {

  private final List<AssignmentsMessage> sent = new ArrayList<>();

  private final StreamObserver<AssignmentsMessage> out =
      new StreamObserver<>() {
        @Override
        public void onNext(AssignmentsMessage m) {
          sent.add(m);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };

  /** An entry of about 100 KiB. */
  private static ServiceEndpoints big(int i) {
    ServiceEndpoints.Builder b =
        ServiceEndpoints.newBuilder().setServiceId("s" + i).setNetworkId("netA");
    for (int t = 0; t < 1000; t++) {
      b.addAttached(
          TaskEndpoint.newBuilder()
              .setTaskId("task-" + i + "-" + t + "-0123456789abcdef")
              .setName("service-name.slot.task-" + i + "-" + t + "-0123456789abcdef"));
    }
    return b.build();
  }

  @Test
  void largeChangesAreSplitIntoConsecutiveIncrementalMessagesInOrder() {
    try (InMemoryStore store = new InMemoryStore();
        AssignmentHub hub = new AssignmentHub(store)) {
      AssignmentStream s = new AssignmentStream(hub, "n1", out);
      s.sendComplete(List.of(), java.util.Map.of());
      List<AssignmentChange> changes = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        changes.add(Assignments.update(big(i)));
      }

      s.sendChanges(changes);

      List<AssignmentsMessage> incremental = sent.subList(1, sent.size());
      assertThat(incremental.size()).isGreaterThan(1);
      List<String> order = new ArrayList<>();
      String last = sent.get(0).getResultsIn();
      for (AssignmentsMessage m : incremental) {
        assertThat(m.getType()).isEqualTo(AssignmentsMessage.Type.INCREMENTAL);
        assertThat(m.getAppliesTo()).isEqualTo(last);
        assertThat(m.getSerializedSize()).isLessThan(AssignmentStream.MAX_MESSAGE_BYTES + 200_000);
        last = m.getResultsIn();
        m.getChangesList()
            .forEach(c -> order.add(c.getAssignment().getServiceEndpoints().getServiceId()));
      }
      assertThat(order).hasSize(30).startsWith("s0", "s1").endsWith("s29");
    }
  }
}
