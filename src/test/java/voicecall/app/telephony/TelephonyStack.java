package voicecall.app.telephony;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.engine.call.FrameClock;

/**
 * The telephony parts wired as the application wires them, on free ports, without Spring: for
 * integration tests over real sockets.
 */
public final class TelephonyStack implements AutoCloseable {

  /** The meters. */
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** The live calls. */
  public final CallRegistry registry = new CallRegistry();

  /** The metrics. */
  public final TelephonyMetrics metrics = new TelephonyMetrics(meters, registry);

  /** The clock's scheduler. */
  public final Scheduler clockScheduler = Schedulers.newSingle("frame-clock-test", true);

  /** The frame clock. */
  public final FrameClock clock = FrameClock.start(clockScheduler, metrics);

  /** The switchboard. */
  public final Switchboard switchboard;

  /** The AudioSocket server, listening. */
  public final AudioSocketServer audioSocket;

  /** A callers' scheduler for pacing. */
  public final Scheduler callers = Schedulers.newParallel("test-callers", 2, true);

  /**
   * Starts the stack.
   *
   * @param answering what calls do
   */
  public TelephonyStack(CallAnswering answering) {
    switchboard = new Switchboard(clock, registry, answering);
    audioSocket =
        new AudioSocketServer(
            new VoiceCallProperties.AudioSocket(
                true, "127.0.0.1", 0, "en", 8000, Duration.ofMillis(100), 16384, 2, 8192),
            switchboard,
            metrics);
    audioSocket.start();
  }

  /** Returns where the AudioSocket server listens. */
  public InetSocketAddress audioSocketAddress() {
    return audioSocket.address();
  }

  @Override
  public void close() {
    audioSocket.stop();
    clock.dispose();
    clockScheduler.dispose();
    callers.dispose();
  }
}
