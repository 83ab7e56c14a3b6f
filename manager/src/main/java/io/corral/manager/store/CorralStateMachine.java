package io.corral.manager.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.corral.api.StoreBatch;
import io.corral.api.StoreCommitReply;
import io.corral.api.StoreErrorCode;
import io.corral.api.StoreQuery;
import io.corral.api.StoreSnapshot;
import io.corral.api.StoreStatus;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the store: applies each committed {@link StoreBatch} to the local
 * replica, answers read-only queries, and writes and loads snapshot files.
 */
final class CorralStateMachine extends BaseStateMachine {

  private static final Logger LOG = LoggerFactory.getLogger(CorralStateMachine.class);

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final StoreReplica replica;

  CorralStateMachine(StoreReplica replica) {
    this.replica = replica;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    getLifeCycle()
        .startAndTransition(
            () -> {
              storage.init(raftStorage);
              load(storage.getLatestSnapshot());
            });
  }

  /**
   * Ratis pauses the state machine before it installs a snapshot sent by the leader (new or lagging
   * member).
   */
  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    // Called after the leader installed a snapshot on this follower: replace the replica with it.
    load(storage.loadLatestSnapshot());
    getLifeCycle().transition(LifeCycle.State.STARTING);
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    if (snapshot == null) {
      return;
    }
    Path file = snapshot.getFile().getPath();
    if (snapshot.getFile().getFileDigest() != null) {
      MD5FileUtil.verifySavedMD5(file.toFile(), snapshot.getFile().getFileDigest());
    }
    StoreSnapshot content;
    try (InputStream in = Files.newInputStream(file)) {
      content = StoreSnapshot.parseFrom(in);
    }
    replica.restore(content);
    setLastAppliedTermIndex(snapshot.getTermIndex());
    LOG.info("loaded snapshot {} ({} objects)", snapshot.getTermIndex(), replica.objectCount());
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long index = entry.getIndex();
    StoreCommitReply reply;
    try {
      StoreBatch batch =
          StoreBatch.parseFrom(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
      replica.apply(batch, index);
      reply = StoreCommitReply.newBuilder().setIndex(index).build();
    } catch (StoreException refused) {
      reply =
          StoreCommitReply.newBuilder()
              .setIndex(index)
              .setCode(toWire(refused.code()))
              .setMessage(refused.getMessage())
              .build();
    } catch (InvalidProtocolBufferException malformed) {
      // Never crash a replica on a bad entry: refuse it the same way on every replica.
      replica.advanceTo(index);
      reply =
          StoreCommitReply.newBuilder()
              .setIndex(index)
              .setCode(StoreErrorCode.STORE_INVALID)
              .setMessage("malformed store batch: " + malformed.getMessage())
              .build();
    }
    updateLastAppliedTermIndex(entry.getTerm(), index);
    return CompletableFuture.completedFuture(wrap(reply.toByteArray()));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    // Entries without a batch (leader no-ops, configuration changes) still move the applied index.
    super.notifyTermIndexUpdated(term, index);
    replica.advanceTo(index);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      StoreQuery query = StoreQuery.parseFrom(request.getContent().asReadOnlyByteBuffer());
      byte[] answer =
          switch (query.getQueryCase()) {
            case STATUS ->
                StoreStatus.newBuilder()
                    .setAppliedIndex(replica.appliedIndex())
                    .setObjectCount(replica.objectCount())
                    .build()
                    .toByteArray();
            case DUMP -> replica.toSnapshot().toByteArray();
            case QUERY_NOT_SET -> throw new IllegalArgumentException("empty store query");
          };
      return CompletableFuture.completedFuture(wrap(answer));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    // Ratis calls this from the thread that applies entries, so state and term-index agree.
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() <= 0) {
      return -1;
    }
    StoreSnapshot content = replica.toSnapshot();
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    Path tmp = file.toPath().resolveSibling(file.getName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      content.writeTo(out);
    }
    Files.move(
        tmp, file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    storage.updateLatestSnapshot(
        new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
    LOG.info("wrote snapshot {} ({} objects)", last, content.getSerializedSize());
    return last.getIndex();
  }

  private static Message wrap(byte[] bytes) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
  }

  static StoreErrorCode toWire(StoreException.Code code) {
    return switch (code) {
      case NOT_FOUND -> StoreErrorCode.STORE_NOT_FOUND;
      case EXISTS -> StoreErrorCode.STORE_EXISTS;
      case NAME_CONFLICT -> StoreErrorCode.STORE_NAME_CONFLICT;
      case VERSION_CONFLICT -> StoreErrorCode.STORE_VERSION_CONFLICT;
      default -> StoreErrorCode.STORE_INVALID;
    };
  }

  static StoreException.Code fromWire(StoreErrorCode code) {
    return switch (code) {
      case STORE_NOT_FOUND -> StoreException.Code.NOT_FOUND;
      case STORE_EXISTS -> StoreException.Code.EXISTS;
      case STORE_NAME_CONFLICT -> StoreException.Code.NAME_CONFLICT;
      case STORE_VERSION_CONFLICT -> StoreException.Code.VERSION_CONFLICT;
      default -> StoreException.Code.INVALID;
    };
  }
}
