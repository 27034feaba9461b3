package voicecall.engine.stt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import voicecall.tts.audio.PcmAudio;

/**
 * Our own cost of one remote recognition: a 3 s, 8 kHz utterance in 20 ms frames collected, encoded
 * as WAV, posted as multipart to a server on localhost that answers {@code verbose_json} at once,
 * and parsed. The server is a few lines over a plain socket with {@code TCP_NODELAY} that writes
 * each answer in one piece, as production HTTP servers do: MockWebServer and the JDK's HttpServer
 * write headers and body apart without it, and every request then waits ~40 ms for a delayed ACK,
 * which would measure them, not us. Run with {@code -t N} for N calls at once.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class RemoteSttBenchmark {

  private static final byte[] ANSWER =
      ("{\"text\":\"How much data do I have left?\",\"segments\":[{\"start\":0,"
              + "\"end\":3,\"avg_logprob\":-0.2,\"no_speech_prob\":0.01}]}")
          .getBytes(StandardCharsets.UTF_8);

  /** The server, the recogniser and the utterance, shared by every thread. */
  @State(Scope.Benchmark)
  public static class Shared {
    @Nullable ServerSocket server;
    final ExecutorService connections = Executors.newCachedThreadPool();
    @Nullable Recognizer recognizer;
    @Nullable PcmAudio utterance;

    /** Starts the server and builds a 3 s utterance. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      ServerSocket listening = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
      server = listening;
      connections.execute(
          () -> {
            while (!listening.isClosed()) {
              try {
                Socket socket = listening.accept();
                connections.execute(() -> serve(socket));
              } catch (IOException e) {
                return;
              }
            }
          });
      recognizer =
          Recognizers.remote(
              new RemoteRecognizerConfig(
                  URI.create("http://127.0.0.1:" + listening.getLocalPort()),
                  "whisper-1",
                  "key",
                  "en",
                  Duration.ofSeconds(3),
                  Duration.ofSeconds(30),
                  64,
                  true));
      short[] s = new short[8000 * 3];
      for (int i = 0; i < s.length; i++) {
        s[i] = (short) (4000 * Math.sin(2 * Math.PI * 300 * i / 8000.0));
      }
      utterance = PcmAudio.of(s, 8000);
    }

    /** Stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      Objects.requireNonNull(server).close();
      connections.shutdownNow();
    }
  }

  /** Answers every request on one keep-alive connection with {@link #ANSWER}, in one write. */
  private static void serve(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      socket.setTcpNoDelay(true);
      byte[] head =
          ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + ANSWER.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      byte[] response = new byte[head.length + ANSWER.length];
      System.arraycopy(head, 0, response, 0, head.length);
      System.arraycopy(ANSWER, 0, response, head.length, ANSWER.length);
      while (true) {
        long length = -1;
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
          if (c == '\n') {
            String l = line.toString().strip();
            line.setLength(0);
            if (l.isEmpty()) {
              break;
            }
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Long.parseLong(l.substring(15).strip());
            }
          } else {
            line.append((char) c);
          }
        }
        if (c == -1 || length < 0) {
          return;
        }
        in.skipNBytes(length);
        out.write(response);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the connection is gone
    }
  }

  /**
   * One utterance, frames to transcript.
   *
   * @return the transcript
   */
  @Benchmark
  public Transcript utterance(Shared shared) {
    PcmAudio audio = Objects.requireNonNull(shared.utterance);
    return Objects.requireNonNull(
        Objects.requireNonNull(shared.recognizer)
            .open()
            .flatMap(
                s ->
                    s.recognize(Flux.fromIterable(audio.frames(Duration.ofMillis(20))))
                        .doFinally(x -> s.close()))
            .block());
  }
}
