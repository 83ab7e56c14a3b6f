package io.corral.manager.store;

import com.google.protobuf.Timestamp;
import io.corral.api.Meta;
import io.corral.common.ProtoTime;

/** How the store stamps meta on a write; the same rule on the proposer and on every replica. */
final class Stamps {

  private Stamps() {}

  static Meta created(long index, Timestamp ts) {
    return Meta.newBuilder().setVersion(index).setCreatedAt(ts).setUpdatedAt(ts).build();
  }

  static Meta updated(Meta read, long index, Timestamp ts) {
    return read.toBuilder().setVersion(index).setUpdatedAt(ts).build();
  }

  static Timestamp now() {
    return ProtoTime.now();
  }
}
