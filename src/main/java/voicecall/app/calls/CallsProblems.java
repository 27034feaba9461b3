package voicecall.app.calls;

import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for the call endpoints. */
@RestControllerAdvice(assignableTypes = CallsController.class)
class CallsProblems {

  @ExceptionHandler
  ProblemDetail request(CallsRequestException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(e.status(), String.valueOf(e.getMessage()));
    problem.setTitle(e.title());
    return problem;
  }
}
