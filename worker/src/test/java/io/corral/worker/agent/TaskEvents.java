package io.corral.worker.agent;

import static org.awaitility.Awaitility.await;

import io.corral.api.TaskState;
import io.corral.api.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test fixture: a task listener recording every status reported, per task and in order, with waits
 * on them.
 */
public final class TaskEvents implements TaskRuntime.Listener {
  public final Map<String, List<TaskStatus>> statuses = new ConcurrentHashMap<>();
  private final Duration timeout;

  public TaskEvents(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void onStatus(String taskId, TaskStatus status) {
    statuses.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>()).add(status);
  }

  public List<TaskState> states(String taskId) {
    return statuses.getOrDefault(taskId, List.of()).stream().map(TaskStatus::getState).toList();
  }

  public List<String> messages(String taskId) {
    return statuses.getOrDefault(taskId, List.of()).stream().map(TaskStatus::getMessage).toList();
  }

  public TaskStatus last(String taskId) {
    List<TaskStatus> all = statuses.getOrDefault(taskId, List.of());
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** The first status of {@code state}, once reported. */
  public TaskStatus awaitState(String taskId, TaskState state) {
    await().atMost(timeout).until(() -> states(taskId).contains(state));
    return statuses.get(taskId).stream()
        .filter(s -> s.getState() == state)
        .findFirst()
        .orElseThrow();
  }

  /** The task's terminal status, once reported. */
  public TaskStatus awaitTerminal(String taskId) {
    await()
        .atMost(timeout)
        .until(
            () -> last(taskId) != null && last(taskId).getStateValue() >= TaskState.COMPLETE_VALUE);
    return last(taskId);
  }
}
