package dev.outbox.console;

import dev.outbox.console.ConsoleViews.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses, before the console's page, assets or API run, a request named for a host the console
 * does not answer to ({@link HostCheck}). It runs where Spring MVC does, after the servlet filters,
 * so it sees the request as {@link CsrfGuard} does: with a proxy's forwarded host when {@code
 * server.forward-headers-strategy} applies one. The answer is 403, as Jupyter and Vite give.
 */
final class HostInterceptor implements HandlerInterceptor {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HostCheck check;

  HostInterceptor(HostCheck check) {
    this.check = check;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    String why =
        check.refusal(request.getHeader("Host"), request.getServerName(), request.getLocalAddr());
    if (why == null) {
      return true;
    }
    Refusals.log(request, HttpStatus.FORBIDDEN, why);
    response.setStatus(HttpStatus.FORBIDDEN.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(JSON.writeValueAsString(new Problem("refused: " + why)));
    return false;
  }
}
