package io.parley.application.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Breaks {@code domain_and_application_do_not_use_frameworks}: a use case serialises JSON itself. */
final class ApplicationUsingJackson {
    private ApplicationUsingJackson() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper();
    }
}
