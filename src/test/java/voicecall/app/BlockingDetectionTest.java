package voicecall.app;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Proves BlockHound is installed for every test of this module (through blockhound-junit-platform):
 * a blocking call on a non-blocking thread must fail the stream, while the same call on a thread
 * meant for blocking work is allowed.
 */
class BlockingDetectionTest {

  @Test
  void sleepingOnAParallelWorkerIsReported() {
    StepVerifier.create(
            Mono.fromCallable(BlockingDetectionTest::sleepBriefly)
                .subscribeOn(Schedulers.parallel()))
        .expectError(BlockingOperationError.class)
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void sleepingOnABoundedElasticWorkerIsAllowed() {
    StepVerifier.create(
            Mono.fromCallable(BlockingDetectionTest::sleepBriefly)
                .subscribeOn(Schedulers.boundedElastic()))
        .expectNext(true)
        .verifyComplete();
  }

  private static boolean sleepBriefly() throws InterruptedException {
    Thread.sleep(1);
    return true;
  }
}
