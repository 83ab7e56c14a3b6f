package io.corral.manager.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.corral.api.Annotations;
import io.corral.api.Node;
import io.corral.api.NodeDescription;
import io.corral.api.Service;
import io.corral.api.ServiceSpec;
import io.corral.api.Task;
import io.corral.manager.store.InMemoryStore;
import io.corral.manager.store.ObjectKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReferencesTest {

  private final InMemoryStore store = new InMemoryStore();

  @BeforeEach
  void objects() {
    store.update(
        tx -> {
          tx.create(node("4kq8wz1x", "alpha"));
          tx.create(node("9hgf8d7s", "beta"));
          tx.create(node("9hzzzzzz", "twin"));
          tx.create(node("abcdef01", "twin"));
          tx.create(service("web000a1", "web"));
          tx.create(service("web000b2", "api"));
          // A name that is also another service's id prefix: the name wins, as in docker.
          tx.create(service("xyz00001", "web000b"));
          tx.create(Task.newBuilder().setId("t1aaaa").build());
          tx.create(Task.newBuilder().setId("t1bbbb").build());
        });
  }

  private static Node node(String id, String hostname) {
    return Node.newBuilder()
        .setId(id)
        .setDescription(NodeDescription.newBuilder().setHostname(hostname))
        .build();
  }

  private static Service service(String id, String name) {
    return Service.newBuilder()
        .setId(id)
        .setSpec(ServiceSpec.newBuilder().setAnnotations(Annotations.newBuilder().setName(name)))
        .build();
  }

  private <M extends com.google.protobuf.Message> String find(ObjectKind<M> kind, String ref) {
    return kind.id(store.view(tx -> References.find(tx, kind, ref)));
  }

  private <M extends com.google.protobuf.Message> Status failure(ObjectKind<M> kind, String ref) {
    return catchThrowableOfType(() -> find(kind, ref), StatusRuntimeException.class).getStatus();
  }

  @Test
  void anIdANameOrAUniqueIdPrefixNamesAnObject() {
    assertThat(find(ObjectKind.NODE, "9hgf8d7s")).isEqualTo("9hgf8d7s");
    assertThat(find(ObjectKind.NODE, "alpha")).isEqualTo("4kq8wz1x");
    assertThat(find(ObjectKind.NODE, "4kq")).isEqualTo("4kq8wz1x");
    assertThat(find(ObjectKind.SERVICE, "api")).isEqualTo("web000b2");
    assertThat(find(ObjectKind.SERVICE, "web000a")).isEqualTo("web000a1");
    assertThat(find(ObjectKind.SERVICE, "web000b")).isEqualTo("xyz00001");
    assertThat(find(ObjectKind.TASK, "t1b")).isEqualTo("t1bbbb");
  }

  @Test
  void noMatchIsNotFoundInDockersWords() {
    assertThat(failure(ObjectKind.SERVICE, "nope"))
        .satisfies(
            s -> {
              assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(s.getDescription()).isEqualTo("service nope not found");
            });
    assertThat(failure(ObjectKind.NODE, "nope").getDescription()).isEqualTo("node nope not found");
    assertThat(failure(ObjectKind.TASK, "zz").getDescription()).isEqualTo("task zz not found");
  }

  @Test
  void severalMatchesAreAmbiguousInDockersWords() {
    Status prefix = failure(ObjectKind.NODE, "9h");
    assertThat(prefix.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(prefix.getDescription()).isEqualTo("node 9h is ambiguous (2 matches found)");
    assertThat(failure(ObjectKind.NODE, "twin").getDescription())
        .isEqualTo("node twin is ambiguous (2 matches found)");
    assertThat(failure(ObjectKind.SERVICE, "web0").getDescription())
        .isEqualTo("service web0 is ambiguous (2 matches found)");
    assertThat(failure(ObjectKind.TASK, "t1").getDescription())
        .isEqualTo("task t1 is ambiguous (2 matches found)");
  }

  @Test
  void anEmptyReferenceIsInvalid() {
    Status s = failure(ObjectKind.SERVICE, "");
    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription())
        .isEqualTo("service_id: no service given; name one by id or name");
  }
}
