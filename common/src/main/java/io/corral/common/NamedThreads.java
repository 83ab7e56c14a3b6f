package io.corral.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for daemon threads with names that say what they do (so thread dumps and logs
 * are readable).
 */
public final class NamedThreads {

  private NamedThreads() {}

  /** Daemon threads all called {@code name}: for single-thread executors. */
  public static ThreadFactory daemon(String name) {
    return r -> daemonThread(r, name);
  }

  /** Daemon threads called {@code prefix-1}, {@code prefix-2}, …: for pools. */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> daemonThread(r, prefix + "-" + n.incrementAndGet());
  }

  /** A daemon thread (not started): it never keeps the JVM alive on its own. */
  public static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
