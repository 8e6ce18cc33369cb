"""The TOML configuration (spec section 5), validated before anything is fetched."""
from __future__ import annotations

import codecs
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from crawler.cron import parse_cron
from crawler.errors import DgwatchError
from crawler.kinds import KINDS

DEFAULT_SCHEDULE = "0 */6 * * *"
DEFAULT_DB = "dgwatch.db"


class ConfigError(DgwatchError):
    """A configuration problem; the message names the file and the key."""


@dataclass
class Source:
    """One news site: its kind (crawler.kinds), where to start, which links are articles, what is relevant."""

    name: str
    start_urls: list[str]
    article_pattern: str | None = None
    kind: str = "listing"
    follow_pattern: str | None = None
    schedule: str | None = None
    encoding: str | None = None
    max_pages: int | None = None
    # A listing page whose article links are all stored already ends the walk down its
    # pagination: for sites that list newest first and never insert older articles.
    stop_at_known: bool = False
    # A feed or sitemap entry dated before this day (YYYY-MM-DD) is not fetched.
    since: str | None = None
    # An article is analysed and its text kept only if its title or body names one of
    # these (normalised); default: the doctor-group name endings and every known name.
    keywords: list[str] | None = None
    keep_all: bool = False  # analyse and keep every article, relevant or not
    # Days without a new article after which the report says the source has gone quiet.
    stale_after: int = 30

    @property
    def cron(self) -> str:
        return self.schedule or DEFAULT_SCHEDULE


@dataclass
class EmailConfig:
    """SMTP settings; the password is read only from DGWATCH_SMTP_PASSWORD."""

    smtp_host: str
    sender: str
    recipients: list[str]
    smtp_port: int = 25
    username: str | None = None
    security: str = "none"  # none | starttls | ssl
    timeout: float = 30.0
    subject_prefix: str = "[dgwatch]"


@dataclass
class NotifyChannel:
    """One [[notify]] table: an Apprise URL (wecombot://, dingtalk://, feishu://, slack://, tgram://,
    json:// …) and the channel's name, which keys its delivery state. `${VAR}` in the URL is read
    from the environment when the report is sent, so secrets stay out of the file."""

    name: str
    url: str


@dataclass
class HealthSettings:
    """The optional [health] table: when a source counts as failing."""

    failed_crawls: int = 3  # this many crawls in a row that read no listing page


@dataclass
class ReportSettings:
    """The optional [report] table: what the report is written in."""

    language: str = "zh"  # zh | en: labels, change kinds and figures as readers write them


@dataclass
class CrawlSettings:
    """Politeness knobs of the optional [crawl] table; robots.txt is always obeyed."""

    delay: float = 1.0  # seconds between requests to one site, AutoThrottle's floor
    concurrency_per_domain: int = 2
    timeout: float = 30.0
    retries: int = 2
    user_agent: str = "dgwatch/0.1 (+https://example.org/dgwatch; news monitor)"
    # Processes that analyse pages (extraction is CPU-bound); 0 analyses in the crawl process.
    # The crawl process keeps a core busy itself: on 2 cores one worker crawls within 10 %
    # of two, in two thirds of the memory (bench/README.md).
    workers: int = field(default_factory=lambda: max(1, min(4, (os.cpu_count() or 1) - 1)))
    # A larger page (or one that inflates to more) is dropped with one error line: a news
    # article is well under 1 MB, and Scrapy's own limit, 1 GB, is a worker's memory.
    max_page_mb: float = 10.0


@dataclass
class Config:
    """A whole configuration file."""

    path: Path | None
    sources: list[Source]
    db: str | None = None
    email: EmailConfig | None = None
    default_schedule: str = DEFAULT_SCHEDULE
    crawl_timeout: int = 3600
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    notify: list[NotifyChannel] = field(default_factory=list)
    health: HealthSettings = field(default_factory=HealthSettings)

    def source(self, name: str) -> Source:
        for src in self.sources:
            if src.name == name:
                return src
        raise ConfigError(f"{self.path}: no source named {name!r} (have: {', '.join(s.name for s in self.sources)})")


_TOP_KEYS = {"db", "sources", "email", "default_schedule", "crawl_timeout", "crawl", "report", "notify", "health"}
_HEALTH_KEYS = {"failed_crawls"}
_NOTIFY_KEYS = {"url", "name"}
# The SMTP channel's name in the report's output and the daemon's log.
EMAIL_CHANNEL = "email"
_REPORT_KEYS = {"language"}
REPORT_LANGUAGES = ("zh", "en")
_CRAWL_KEYS = {"delay", "concurrency_per_domain", "timeout", "retries", "user_agent", "workers", "max_page_mb"}
# Keys every kind takes; a kind adds its own (crawler.kinds: `required`, `optional`).
_SOURCE_KEYS = {"name", "kind", "start_urls", "schedule", "encoding", "max_pages", "keywords", "keep_all",
               "stale_after"}
_EMAIL_KEYS = {"smtp_host", "smtp_port", "sender", "recipients", "username", "security", "timeout", "subject_prefix"}
_SECURITY = {"none", "starttls", "ssl"}


def _where(path: Path | None) -> str:
    return str(path) if path else "<config>"


def _check_keys(table: dict[str, Any], allowed: set[str], prefix: str, where: str, context: str = "") -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key '{prefix}{key}'{context} (allowed: {', '.join(sorted(allowed))})")


def _typed(table: dict[str, Any], key: str, kind: type | tuple[type, ...], label: str, where: str) -> Any:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ConfigError(f"{where}: {label} must be {getattr(kind, '__name__', kind)}, got {value!r}")
    return value


def _ranged(table: dict[str, Any], key: str, kind: type | tuple[type, ...], label: str, where: str,
            low: float, high: float) -> Any:
    """_typed, and within [low, high]: a number out of range is a typo, never silently replaced."""
    value = _typed(table, key, kind, label, where)
    if value is not None and not low <= value <= high:
        raise ConfigError(f"{where}: {label} must be between {low:g} and {high:g}, got {value!r}")
    return value


def validate_cron(expr: str, label: str, where: str) -> str:
    """Return `expr` if it is a crontab line (five fields, or six with seconds first), else raise ConfigError."""
    try:
        parse_cron(expr)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {label} = {expr!r} is not a valid cron expression: {exc}") from None
    return expr


def _regex(value: Any, label: str, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {label} must be a string regex, got {value!r}")
    try:
        re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{where}: {label} = {value!r} is not a valid regex: {exc}") from None
    return value


def _since(value: Any, label: str, where: str) -> str | None:
    """A day as YYYY-MM-DD, from a TOML date or an ISO date string."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            pass
    if not isinstance(value, date):
        raise ConfigError(f"{where}: {label} must be a date (YYYY-MM-DD), got {value!r}")
    return value.isoformat()[:10]


def _keywords(value: Any, label: str, where: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(k, str) and k.strip() for k in value):
        raise ConfigError(f"{where}: {label} must be a non-empty list of non-empty strings")
    return value


def _source(raw: Any, index: int, where: str, seen: set[str]) -> Source:
    prefix = f"sources[{index}]."
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: sources[{index}] must be a table")
    kind_name = raw.get("kind", "listing")
    if not isinstance(kind_name, str) or kind_name not in KINDS:
        raise ConfigError(f"{where}: {prefix}kind = {kind_name!r} is not a source kind "
                          f"(one of: {', '.join(sorted(KINDS))})")
    kind = KINDS[kind_name]
    _check_keys(raw, _SOURCE_KEYS | kind.required | kind.optional, prefix, where, f' for kind "{kind_name}"')
    for key in ("name", "start_urls", *sorted(kind.required)):
        if key not in raw:
            raise ConfigError(f"{where}: missing key {prefix}{key}")
    name = _typed(raw, "name", str, prefix + "name", where)
    if not name or name in seen:
        raise ConfigError(f"{where}: {prefix}name {name!r} is empty or used twice")
    seen.add(name)
    urls = raw["start_urls"]
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
        raise ConfigError(f"{where}: {prefix}start_urls must be a non-empty list of URLs")
    for url in urls:
        if not re.match(r"^https?://[^/\s]+", url):
            raise ConfigError(f"{where}: {prefix}start_urls has {url!r}, which is not an http(s) URL")
    encoding = _typed(raw, "encoding", str, prefix + "encoding", where)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ConfigError(f"{where}: {prefix}encoding = {encoding!r} is not a known encoding") from None
    schedule = _typed(raw, "schedule", str, prefix + "schedule", where)
    if schedule:
        validate_cron(schedule, prefix + "schedule", where)
    max_pages = _ranged(raw, "max_pages", int, prefix + "max_pages", where, 1, 10**9)
    article = raw.get("article_pattern")
    stale_after = _ranged(raw, "stale_after", int, prefix + "stale_after", where, 1, 36500)
    follow = raw.get("follow_pattern")
    return Source(
        name=name,
        kind=kind_name,
        start_urls=list(urls),
        article_pattern=_regex(article, prefix + "article_pattern", where) if article is not None else None,
        follow_pattern=_regex(follow, prefix + "follow_pattern", where) if follow is not None else None,
        schedule=schedule,
        encoding=encoding,
        max_pages=max_pages,
        stop_at_known=bool(_typed(raw, "stop_at_known", bool, prefix + "stop_at_known", where)),
        since=_since(raw.get("since"), prefix + "since", where),
        keywords=_keywords(raw.get("keywords"), prefix + "keywords", where),
        keep_all=bool(_typed(raw, "keep_all", bool, prefix + "keep_all", where)),
        stale_after=stale_after or Source.stale_after,
    )


def _email(raw: Any, where: str) -> EmailConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [email] must be a table")
    _check_keys(raw, _EMAIL_KEYS, "email.", where)
    for key in ("smtp_host", "sender", "recipients"):
        if key not in raw:
            raise ConfigError(f"{where}: missing key email.{key}")
    recipients = raw["recipients"]
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not recipients or not all(isinstance(r, str) for r in recipients):
        raise ConfigError(f"{where}: email.recipients must be a non-empty list of addresses")
    security = raw.get("security", "none")
    if security not in _SECURITY:
        raise ConfigError(f"{where}: email.security must be one of {', '.join(sorted(_SECURITY))}, got {security!r}")
    port = _ranged(raw, "smtp_port", int, "email.smtp_port", where, 1, 65535)
    timeout = _ranged(raw, "timeout", (int, float), "email.timeout", where, 0.1, 3600)
    return EmailConfig(
        smtp_host=_typed(raw, "smtp_host", str, "email.smtp_host", where),
        smtp_port=port if port is not None else (465 if security == "ssl" else 25),
        sender=_typed(raw, "sender", str, "email.sender", where),
        recipients=list(recipients),
        username=_typed(raw, "username", str, "email.username", where),
        security=security,
        timeout=float(timeout) if timeout is not None else 30.0,
        subject_prefix=_typed(raw, "subject_prefix", str, "email.subject_prefix", where) or "[dgwatch]",
    )


def _crawl(raw: Any, where: str) -> CrawlSettings:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [crawl] must be a table")
    _check_keys(raw, _CRAWL_KEYS, "crawl.", where)
    defaults = CrawlSettings()
    delay = _ranged(raw, "delay", (int, float), "crawl.delay", where, 0, 3600)
    concurrency = _ranged(raw, "concurrency_per_domain", int, "crawl.concurrency_per_domain", where, 1, 64)
    timeout = _ranged(raw, "timeout", (int, float), "crawl.timeout", where, 0.1, 3600)
    retries = _ranged(raw, "retries", int, "crawl.retries", where, 0, 20)
    workers = _ranged(raw, "workers", int, "crawl.workers", where, 0, 64)
    max_page_mb = _ranged(raw, "max_page_mb", (int, float), "crawl.max_page_mb", where, 0.01, 1024)
    return CrawlSettings(
        delay=float(delay) if delay is not None else defaults.delay,
        concurrency_per_domain=concurrency or defaults.concurrency_per_domain,
        timeout=float(timeout) if timeout is not None else defaults.timeout,
        retries=retries if retries is not None else defaults.retries,
        user_agent=_typed(raw, "user_agent", str, "crawl.user_agent", where) or defaults.user_agent,
        workers=workers if workers is not None else defaults.workers,
        max_page_mb=float(max_page_mb) if max_page_mb is not None else defaults.max_page_mb,
    )


def _report(raw: Any, where: str) -> ReportSettings:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [report] must be a table")
    _check_keys(raw, _REPORT_KEYS, "report.", where)
    language = raw.get("language", ReportSettings.language)
    if language not in REPORT_LANGUAGES:
        raise ConfigError(f"{where}: report.language must be one of {', '.join(REPORT_LANGUAGES)}, got {language!r}")
    return ReportSettings(language=language)


def _notify(raw: Any, where: str) -> list[NotifyChannel]:
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: notify must be a list of [[notify]] tables")
    channels: list[NotifyChannel] = []
    for index, table in enumerate(raw):
        prefix = f"notify[{index}]."
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: notify[{index}] must be a table")
        _check_keys(table, _NOTIFY_KEYS, prefix, where)
        url = _typed(table, "url", str, prefix + "url", where)
        scheme, sep, rest = (url or "").partition("://")
        if not sep or not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme) or not rest:
            raise ConfigError(f"{where}: {prefix}url must be an Apprise URL such as 'json://host/path' "
                              f"or 'wecombot://KEY', got {url!r}")
        # Without a name the scheme names the channel: no secret from the URL ends up in logs or the database.
        name = _typed(table, "name", str, prefix + "name", where) or scheme
        if name == EMAIL_CHANNEL or name in {channel.name for channel in channels}:
            raise ConfigError(f"{where}: {prefix}name {name!r} is used twice (or is 'email', the [email] "
                              f"channel): give each [[notify]] table its own name")
        channels.append(NotifyChannel(name=name, url=url))
    return channels


def _health(raw: Any, where: str) -> HealthSettings:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [health] must be a table")
    _check_keys(raw, _HEALTH_KEYS, "health.", where)
    failed = _ranged(raw, "failed_crawls", int, "health.failed_crawls", where, 1, 1000)
    return HealthSettings(failed_crawls=failed or HealthSettings.failed_crawls)


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """Validate a parsed TOML document and build a Config; raises ConfigError naming the key."""
    where = _where(path)
    _check_keys(data, _TOP_KEYS, "", where)
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError(f"{where}: at least one [[sources]] table is needed")
    seen: set[str] = set()
    sources = [_source(raw, i, where, seen) for i, raw in enumerate(raw_sources)]
    default_schedule = _typed(data, "default_schedule", str, "default_schedule", where)
    if default_schedule is not None:
        validate_cron(default_schedule, "default_schedule", where)
    crawl_timeout = _ranged(data, "crawl_timeout", int, "crawl_timeout", where, 1, 7 * 86400)
    # A relative `db` is relative to the working directory, like --db and the default.
    db = _typed(data, "db", str, "db", where)
    return Config(
        path=path,
        sources=sources,
        db=db,
        email=_email(data["email"], where) if "email" in data else None,
        default_schedule=default_schedule or DEFAULT_SCHEDULE,
        crawl_timeout=crawl_timeout if crawl_timeout is not None else 3600,
        crawl=_crawl(data["crawl"], where) if "crawl" in data else CrawlSettings(),
        report=_report(data["report"], where) if "report" in data else ReportSettings(),
        notify=_notify(data["notify"], where) if "notify" in data else [],
        health=_health(data["health"], where) if "health" in data else HealthSettings(),
    )


def load_config(path: str | Path) -> Config:
    """Read and validate the TOML file at `path`."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: configuration is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, path)


def resolve_db(db_option: str | None, config: Config | None) -> str:
    """The database path: --db, else the config's `db`, else dgwatch.db in the working directory."""
    if db_option:
        return db_option
    if config is not None and config.db:
        return config.db
    return DEFAULT_DB
