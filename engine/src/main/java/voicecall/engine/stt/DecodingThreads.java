package voicecall.engine.stt;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The decoding threads ({@code stt-*}, daemons) shared by every session, and one serial {@link
 * Lane} per session on top of them. A lane runs its tasks one at a time and in order, on whichever
 * thread is free, so a session's decoder is used by one thread at a time. Lanes wait for a thread
 * in one queue: a lane that has the end of an utterance to finish goes ahead of lanes that only
 * have frames to decode, because a caller waits for the first and not for the second (frames only
 * need to keep up with speech on average).
 *
 * <p>The queue holds at most one entry per lane with work, so it is bounded by the number of open
 * sessions.
 */
final class DecodingThreads {

  /** Whether the current thread is running a task of a {@link #lane()} (not a one-off task). */
  private static final ThreadLocal<Boolean> ON_LANE = ThreadLocal.withInitial(() -> false);

  private final ThreadPoolExecutor pool;
  private final AtomicLong sequence = new AtomicLong();

  DecodingThreads(int threads, String name) {
    AtomicInteger count = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new PriorityBlockingQueue<>(),
            task -> {
              Thread t = new Thread(task, name + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // started now, so that handing work over (often from an event loop) only queues it and never
    // takes the executor's lock to start a thread
    pool.prestartAllCoreThreads();
  }

  /**
   * A new serial lane, e.g. for one session.
   *
   * @return the lane
   */
  Lane lane() {
    return new Lane(false);
  }

  /**
   * Whether the calling thread is running a task of a lane made by {@link #lane()}, e.g. a
   * session's decoding. One-off tasks ({@link #oneOff()}) do not count.
   *
   * @return true on such a lane
   */
  static boolean onLane() {
    return ON_LANE.get();
  }

  /**
   * Runs one-off tasks (building a decoder) at normal priority, each in its own lane.
   *
   * @return a scheduler over these threads
   */
  Scheduler oneOff() {
    return Schedulers.fromExecutor(task -> new Lane(true).execute(task));
  }

  /** Runs what is queued and stops the threads; later tasks are rejected. */
  void shutdown() {
    pool.shutdown();
  }

  /** A lane's turn on a thread; urgent turns first, then in the order they were asked for. */
  private static final class Turn implements Runnable, Comparable<Turn> {
    private final Lane lane;
    private final boolean urgent;
    private final long order;

    Turn(Lane lane, boolean urgent, long order) {
      this.lane = lane;
      this.urgent = urgent;
      this.order = order;
    }

    @Override
    public void run() {
      lane.drain(this);
    }

    @Override
    public int compareTo(Turn other) {
      if (urgent != other.urgent) {
        return urgent ? -1 : 1;
      }
      return Long.compare(order, other.order);
    }
  }

  /**
   * Tasks that run one at a time, in the order given. While the lane is {@link #hurry hurried} (an
   * utterance has ended and its transcript is awaited), its turns go ahead of the other lanes'.
   */
  final class Lane implements Executor {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger work = new AtomicInteger();
    private volatile boolean urgent;
    private volatile @Nullable Turn waiting;
    private final boolean oneOff;

    private Lane(boolean oneOff) {
      this.oneOff = oneOff;
    }

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
      if (work.getAndIncrement() == 0) {
        Turn turn = new Turn(this, urgent, sequence.incrementAndGet());
        waiting = turn;
        try {
          pool.execute(turn);
        } catch (RuntimeException e) {
          tasks.remove(task);
          work.decrementAndGet();
          waiting = null;
          throw e;
        }
      }
    }

    /**
     * Puts this lane ahead of the lanes that are not hurried, now if it is waiting for a thread,
     * and for every turn until {@link #relax()}.
     */
    void hurry() {
      urgent = true;
      Turn turn = waiting;
      // Still waiting for a thread: queue it again, ahead. If it has started, it runs the task.
      if (turn != null && !turn.urgent && pool.remove(turn)) {
        Turn ahead = new Turn(this, true, turn.order);
        waiting = ahead;
        pool.execute(ahead);
      }
    }

    /** Back to normal priority for the next turns. */
    void relax() {
      urgent = false;
    }

    private void drain(Turn turn) {
      if (waiting == turn) {
        waiting = null;
      }
      ON_LANE.set(!oneOff);
      try {
        drainTasks();
      } finally {
        ON_LANE.set(false);
      }
    }

    private void drainTasks() {
      do {
        Runnable task = tasks.poll();
        if (task != null) {
          try {
            task.run();
          } catch (RuntimeException e) {
            Thread t = Thread.currentThread();
            t.getUncaughtExceptionHandler().uncaughtException(t, e);
          }
        }
      } while (work.decrementAndGet() != 0);
    }
  }
}
