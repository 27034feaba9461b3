package voicecall.app.telephony;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NotYetConnectedException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;
import voicecall.engine.call.ClockMetrics;
import voicecall.engine.call.FrameClock;
import voicecall.engine.call.TransferRequest;

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

  /** The default transfer policy: {@code voicecall-agents,agent,1}, allowed. */
  public final Transfers transfers;

  /** The clock's scheduler. */
  public final Scheduler clockScheduler = Schedulers.newSingle("frame-clock-test", true);

  /** The frame clock. */
  public final FrameClock clock;

  /** The switchboard. */
  public final Switchboard switchboard;

  /** The AudioSocket server, listening. */
  public final AudioSocketServer audioSocket;

  /**
   * Connection attempts {@link #dialMany} repeated because the client's connect failed (seen rarely
   * under many quick connects on this machine: {@code NotYetConnectedException} from the client's
   * epoll channel).
   */
  public final AtomicInteger connectRetries = new AtomicInteger();

  /** A callers' scheduler for pacing. */
  public final Scheduler callers = Schedulers.newParallel("test-callers", 2, true);

  /**
   * Starts the stack.
   *
   * @param answering what calls do
   */
  public TelephonyStack(CallAnswering answering) {
    this(answering, ClockMetrics.NONE);
  }

  /**
   * Starts the stack, reporting the clock's measurements to a second listener as well.
   *
   * @param answering what calls do
   * @param observer also told about every tick and frame (e.g. a benchmark's histogram)
   */
  public TelephonyStack(CallAnswering answering, ClockMetrics observer) {
    this(answering, observer, null);
  }

  /**
   * Starts the stack with a way to move plain AudioSocket callers to a person.
   *
   * @param answering what calls do
   * @param plainCalls moves plain AudioSocket callers (AMI), or null for none
   */
  public TelephonyStack(CallAnswering answering, @Nullable CallerRedirect plainCalls) {
    this(answering, ClockMetrics.NONE, plainCalls);
  }

  private TelephonyStack(
      CallAnswering answering, ClockMetrics observer, @Nullable CallerRedirect plainCalls) {
    transfers = new Transfers(transferConfig(true), meters, plainCalls);
    clock =
        FrameClock.start(
            clockScheduler,
            new ClockMetrics() {
              @Override
              public void tick(long latenessNanos, int activeCalls) {
                metrics.tick(latenessNanos, activeCalls);
                observer.tick(latenessNanos, activeCalls);
              }

              @Override
              public void frameSent(boolean silence) {
                metrics.frameSent(silence);
                observer.frameSent(silence);
              }

              @Override
              public void frameDropped() {
                metrics.frameDropped();
                observer.frameDropped();
              }
            });
    switchboard = new Switchboard(clock, registry, answering, transfers);
    audioSocket =
        new AudioSocketServer(
            new VoiceCallProperties.AudioSocket(
                true, "127.0.0.1", 0, "en", 8000, Duration.ofMillis(100), 16384, 2, 8192),
            switchboard,
            metrics);
    audioSocket.start();
  }

  /**
   * Places calls that send 8 kHz silence, each with a fresh id (made here, on the caller's thread:
   * {@code UUID.randomUUID()} may block, so not on an event loop).
   *
   * @param count how many
   * @param concurrency how many dial at once
   * @return the connected callers, as they connect
   */
  public Flux<AudioSocketCaller> dialMany(int count, int concurrency) {
    List<UUID> ids = IntStream.range(0, count).mapToObj(i -> UUID.randomUUID()).toList();
    return Flux.fromIterable(ids)
        .flatMap(
            id ->
                AudioSocketCaller.dial(
                        audioSocketAddress(), id, Pcm.silence(8000, 20), true, callers)
                    .retryWhen(
                        Retry.max(3)
                            .filter(
                                e ->
                                    e instanceof IOException
                                        || e instanceof NotYetConnectedException)
                            .doBeforeRetry(r -> connectRetries.incrementAndGet())),
            concurrency);
  }

  /**
   * The transfer settings the tests use: destination {@code voicecall-agents,agent,1}, 40
   * characters per variable.
   *
   * @param allowed whether the destination is on the allowlist (false: every transfer is refused)
   * @return the settings
   */
  public static VoiceCallProperties.Transfer transferConfig(boolean allowed) {
    return new VoiceCallProperties.Transfer(
        "voicecall-agents",
        "agent",
        1,
        List.of(allowed ? "voicecall-agents" : "other-agents"),
        List.of("agent"),
        40);
  }

  /**
   * What a call does in transfer tests: plays 100 ms of silence, then asks for a person.
   *
   * @param question the caller's last question
   * @param entryId the closest entry, or null
   * @return the answering
   */
  public static CallAnswering asksForAPerson(String question, @Nullable String entryId) {
    return call ->
        call.play(new short[800])
            .then(
                Mono.fromRunnable(
                    () ->
                        call.transfer(
                            new TransferRequest(
                                call.id(),
                                question,
                                entryId,
                                TransferRequest.Reason.ASKED_FOR_HUMAN))));
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
