package voicecall.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class CallLogContextTest {

  @BeforeEach
  void enablePropagation() {
    Hooks.enableAutomaticContextPropagation();
  }

  @AfterEach
  void disablePropagation() {
    Hooks.disableAutomaticContextPropagation();
  }

  @Test
  void callIdReachesTheMdcOnAnotherThread() {
    String seen =
        Mono.just("x")
            .publishOn(Schedulers.parallel())
            .map(x -> Optional.ofNullable(MDC.get(CallLogContext.KEY)).orElse("none"))
            .contextWrite(CallLogContext.of("call-42"))
            .block();
    assertThat(seen).isEqualTo("call-42");
  }

  @Test
  void twoCallsOnSharedThreadsKeepTheirOwnIds() {
    List<String> seen =
        Flux.merge(
                tagged("call-a").subscribeOn(Schedulers.single()),
                tagged("call-b").subscribeOn(Schedulers.single()))
            .collectList()
            .block();
    assertThat(seen)
        .hasSize(20)
        .filteredOn(s -> s.startsWith("call-a"))
        .allMatch(s -> s.equals("call-a=call-a"))
        .hasSize(10);
    assertThat(seen)
        .filteredOn(s -> s.startsWith("call-b"))
        .allMatch(s -> s.equals("call-b=call-b"));
  }

  @Test
  void idIsRemovedFromTheThreadAfterTheCallsOperatorsRan() {
    String after =
        Mono.just("x")
            .publishOn(Schedulers.single())
            .map(x -> x)
            .contextWrite(CallLogContext.of("call-7"))
            .then(
                Mono.fromCallable(
                        () -> Optional.ofNullable(MDC.get(CallLogContext.KEY)).orElse("none"))
                    .subscribeOn(Schedulers.single()))
            .block();
    assertThat(after).isEqualTo("none");
  }

  @Test
  void blankIdIsRejected() {
    assertThatThrownBy(() -> CallLogContext.of(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  private static Flux<String> tagged(String callId) {
    return Flux.range(0, 10)
        .publishOn(Schedulers.parallel())
        .map(i -> callId + "=" + Optional.ofNullable(MDC.get(CallLogContext.KEY)).orElse("none"))
        .contextWrite(CallLogContext.of(callId));
  }
}
