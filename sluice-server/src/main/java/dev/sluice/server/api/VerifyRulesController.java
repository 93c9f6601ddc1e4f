package dev.sluice.server.api;

import dev.sluice.core.verify.AccountRules;
import dev.sluice.server.account.Caller;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.verify.AccountRuleStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's account rules: its own verdicts for addresses, domains, top-level domains and mail servers,
 * applied by every verify job of the account before any network check. The list is read and replaced whole.
 */
@RestController
class VerifyRulesController {

    private final AccountRuleStore rules;

    VerifyRulesController(AccountRuleStore rules) {
        this.rules = rules;
    }

    /** One rule as clients write and read it. */
    record RuleView(String match, String status) {
    }

    /** The whole list. */
    record RulesView(List<RuleView> rules) {
    }

    @Operation(summary = "The account's verification rules", description = """
            The rules the caller's account set, in the order it wrote them; an empty list when it set none.""")
    @ApiResponse(responseCode = "200", description = "the rules")
    @ApiResponse(responseCode = "401", description = "no key or an unknown key")
    @GetMapping("/api/v1/verify/rules")
    RulesView get(@Parameter(hidden = true) Caller caller) {
        return view(rules.rules(caller.accountId()));
    }

    @Operation(summary = "Replace the account's verification rules", description = """
            Replaces the whole list. Each rule is {"match": "...", "status": "valid" | "invalid" | "unknown"} \
            with a match of email:a@b.com (one address), domain:example.com (that domain, not its \
            subdomains), tld:ru (a top-level domain) or mx:*.example.net (a mail server of the domain: a host \
            under the suffix, or one host written without *.). Address, domain and tld rules decide before the \
            cache and any network check; mx rules once DNS named the mail servers, before SMTP. The most \
            specific rule decides (email, domain, tld, then mx). The verdict has reason account_rule and is \
            never kept in the verification cache. At most 10,000 rules; a bad rule answers 400 naming its \
            index and text, and nothing is changed.""")
    @ApiResponse(responseCode = "200", description = "the rules as stored (normalised: lower-case domains)")
    @ApiResponse(responseCode = "400", description = "a bad rule (its index and text named), or more than 10,000")
    @ApiResponse(responseCode = "401", description = "no key or an unknown key")
    @PutMapping("/api/v1/verify/rules")
    RulesView put(@Parameter(hidden = true) Caller caller, @RequestBody RulesView body) {
        if (body == null || body.rules() == null) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the body must be {\"rules\": [...]}, a list of "
                    + "{\"match\": \"domain:example.com\", \"status\": \"invalid\"}");
        }
        if (body.rules().size() > AccountRules.MAX_RULES) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'rules' holds " + body.rules().size()
                    + " rules; an account keeps at most " + AccountRules.MAX_RULES);
        }
        List<AccountRules.Rule> parsed = new ArrayList<>(body.rules().size());
        for (int i = 0; i < body.rules().size(); i++) {
            RuleView rule = body.rules().get(i);
            if (rule == null) {
                throw new ProblemException(Problem.INVALID_REQUEST, "rule " + i + " is null; each rule is "
                        + "{\"match\": \"...\", \"status\": \"...\"}");
            }
            try {
                parsed.add(AccountRules.Rule.parse(rule.match(), rule.status()));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.INVALID_REQUEST, "rule " + i + " (" + shown(rule) + "): "
                        + e.getMessage());
            }
        }
        AccountRules accepted = AccountRules.of(parsed);
        rules.replace(caller.accountId(), accepted);
        return view(accepted);
    }

    private static String shown(RuleView rule) {
        String match = rule.match() == null ? "no match" : "\"" + shorten(rule.match()) + "\"";
        String status = rule.status() == null ? "no status" : "\"" + shorten(rule.status()) + "\"";
        return match + " -> " + status;
    }

    private static String shorten(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    private static RulesView view(AccountRules stored) {
        return new RulesView(stored.rules().stream()
                .map(rule -> new RuleView(rule.match(), rule.status().wire()))
                .toList());
    }
}
