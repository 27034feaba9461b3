package voicecall.tts;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A fixed number of named daemon threads with a bounded queue, as a Reactor scheduler, for engines
 * that block. When the queue is full, new work is rejected (an error the fallback chain handles)
 * instead of piling up.
 */
final class BoundedWorkers implements AutoCloseable {

  private final ThreadPoolExecutor executor;
  private final Scheduler scheduler;

  BoundedWorkers(String name, int threads, int queueCapacity) {
    if (threads < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException(
          name
              + " needs at least one thread and one queue slot, got "
              + threads
              + " and "
              + queueCapacity);
    }
    AtomicInteger count = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            r -> {
              Thread t = new Thread(r, name + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.scheduler = Schedulers.fromExecutorService(executor, name);
  }

  Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    scheduler.dispose();
    executor.shutdownNow();
  }
}
