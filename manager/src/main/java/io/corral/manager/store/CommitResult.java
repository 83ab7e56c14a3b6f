package io.corral.manager.store;

import com.google.protobuf.Message;
import java.util.List;
import java.util.Optional;

/**
 * What a committed write produced.
 *
 * @param index the log index of the batch (every written object's new meta.version)
 * @param written the created and updated objects as they are now stored, in the order written
 */
public record CommitResult(long index, List<Message> written) {

  /** The first written object of a kind, e.g. the service a create just stored. */
  public <M extends Message> Optional<M> first(ObjectKind<M> kind) {
    for (Message m : written) {
      if (kind.type().isInstance(m)) {
        return Optional.of(kind.cast(m));
      }
    }
    return Optional.empty();
  }
}
