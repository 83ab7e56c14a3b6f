package io.corral.manager.store;

/**
 * A store write or read that failed, with a machine-readable code and a message a user can act on.
 */
public class StoreException extends RuntimeException {

  /** Why the store refused or could not complete an operation. */
  public enum Code {
    /** The object to update or delete does not exist. */
    NOT_FOUND,
    /** An object with that id already exists. */
    EXISTS,
    /** Another object of the same kind already has that name. */
    NAME_CONFLICT,
    /** The object changed since the writer read it; read again and retry. */
    VERSION_CONFLICT,
    /** The write itself is malformed (no id, no target…). */
    INVALID,
    /** Too few managers are reachable to commit anything. */
    NO_QUORUM,
    /** The write was not acknowledged in time; it may or may not be applied later. */
    TIMEOUT,
    /** The store is shut down. */
    CLOSED
  }

  private final Code code;

  public StoreException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public StoreException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  /** True when re-reading and retrying the same change may succeed. */
  public boolean isConflict() {
    return code == Code.VERSION_CONFLICT;
  }
}
