package io.corral.manager.controlapi;

import com.google.protobuf.Message;
import io.corral.api.Node;
import io.corral.manager.store.ObjectKind;
import io.corral.manager.store.ReadTx;
import io.grpc.Status;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The docker daemon's rules for what a reference in a request names, for every object kind: the
 * object with that full id, else the one with that exact name (a node's hostname), else the one
 * whose id starts with it. None is {@code NOT_FOUND "service web not found"}; several are {@code
 * INVALID_ARGUMENT "node 9h is ambiguous (2 matches found)"}. Clients pass what the user typed and
 * resolve nothing themselves.
 */
public final class References {

  private References() {}

  /**
   * Resolves {@code ref} over lookups of one kind; public so that test doubles of the API answer
   * with the same rules and words.
   *
   * @param kind the word in messages ("service", "node", "task", …)
   * @param byName the objects with exactly that name, or null for kinds without names (tasks)
   */
  public static <T> T resolve(
      String kind,
      String ref,
      Function<String, Optional<T>> byId,
      Function<String, List<T>> byName,
      Function<String, List<T>> byIdPrefix) {
    if (ref.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              kind
                  + "_id: no "
                  + kind
                  + " given; name one by id"
                  + (byName == null ? "" : " or name"))
          .asRuntimeException();
    }
    Optional<T> exact = byId.apply(ref);
    if (exact.isPresent()) {
      return exact.get();
    }
    List<T> matches = byName == null ? List.of() : byName.apply(ref);
    if (matches.isEmpty()) {
      // Ids are lower case: a prefix typed in capitals still names its object.
      matches = byIdPrefix.apply(ref.toLowerCase(Locale.ROOT));
    }
    if (matches.isEmpty()) {
      throw notFound(kind, ref);
    }
    if (matches.size() > 1) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              kind + " " + ref + " is ambiguous (" + matches.size() + " matches found)")
          .asRuntimeException();
    }
    return matches.get(0);
  }

  /** The stored object of {@code kind} that {@code ref} names, read in {@code tx}. */
  static <M extends Message> M find(ReadTx tx, ObjectKind<M> kind, String ref) {
    Function<String, List<M>> byName;
    if (kind == ObjectKind.NODE) {
      byName =
          name ->
              tx.find(ObjectKind.NODE, n -> n.getDescription().getHostname().equals(name)).stream()
                  .map(kind::cast)
                  .toList();
    } else if (kind.hasUniqueNames()) {
      byName = name -> tx.byName(kind, name).stream().toList();
    } else {
      byName = null;
    }
    return resolve(
        kind.name(),
        ref,
        id -> tx.get(kind, id),
        byName,
        prefix -> tx.find(kind, o -> kind.id(o).startsWith(prefix)));
  }

  /** The node {@code ref} names: an id, a hostname, or a unique id prefix. */
  static Node node(ReadTx tx, String ref) {
    return find(tx, ObjectKind.NODE, ref);
  }

  static RuntimeException notFound(String kind, String ref) {
    return Status.NOT_FOUND.withDescription(kind + " " + ref + " not found").asRuntimeException();
  }
}
