package io.parley.bootstrap.browser;

import io.parley.testservices.RequiredTools;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that needs the system's Chromium: where it is missing, every test of the class is
 * reported as skipped with a message that says what to install (and nothing of the class runs), except
 * where {@link RequiredTools#strict()} (CI): there the class runs and fails for want of the browser.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresChromium.Condition.class)
@interface RequiresChromium {
    /** Enables the class only where {@link Chromium#installed()}. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Chromium.installed()) {
                return ConditionEvaluationResult.enabled("Chromium found at " + Chromium.BROWSER);
            }
            if (RequiredTools.strict()) {
                // Enabled, so that the class runs and fails where it needs the browser: CI never skips it.
                return ConditionEvaluationResult.enabled(Chromium.MISSING + " (" + RequiredTools.STRICT_ENV
                        + " is set: the tests run and fail)");
            }
            return ConditionEvaluationResult.disabled(Chromium.MISSING);
        }
    }
}
