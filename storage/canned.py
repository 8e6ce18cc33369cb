"""The SQL of the browsing queries `dgwatch serve` offers (Datasette canned queries).

Each query takes named parameters (:entity, :attribute, :days, :q) and reads only.
A group is named by its key or any alias; a rename's surviving entity and the entities
folded into it answer as one.
"""
from __future__ import annotations

from storage.changes import OLD_APPROX
from storage.health import OPEN_PROBLEM
from storage.search import SEARCH_SQL

# The queries call dg_label(attribute), dg_kind(change kind) and dg_figure(attribute, value,
# approx), registered on each connection by whoever serves them (monitor.browse_links):
# labels and figures as the report writes them, so a page and the report never disagree.

# The entity a name belongs to (`root`: the survivor of renames) and every entity that
# was folded into it (`family`), as storage.facts.resolve follows `merged_into`. A name
# that is no alias (a short name: 哈特瑞姆) names the groups whose aliases contain it.
_GROUP = """
WITH RECURSIVE named(id) AS (SELECT entity_id FROM aliases WHERE alias = trim(:entity)),
up(id) AS (
    SELECT id FROM named
    UNION SELECT entity_id FROM aliases
     WHERE NOT EXISTS (SELECT 1 FROM named) AND length(trim(:entity)) >= 2 AND instr(alias, trim(:entity)) > 0
    UNION SELECT e.merged_into FROM entities e JOIN up ON e.id = up.id WHERE e.merged_into IS NOT NULL
),
root(id) AS (SELECT up.id FROM up JOIN entities e ON e.id = up.id WHERE e.merged_into IS NULL),
family(id) AS (SELECT id FROM root UNION SELECT e.id FROM entities e JOIN family f ON e.merged_into = f.id)
"""


GROUPS = """
SELECT e.name AS entity, e.current_name, e.kind,
       (SELECT group_concat(alias, '、') FROM aliases WHERE entity_id = e.id AND alias <> e.name) AS aliases,
       (SELECT min(published) FROM facts WHERE entity_id = e.id OR entity_id IN
            (SELECT id FROM entities WHERE merged_into = e.id)) AS earliest_published,
       (SELECT count(*) FROM current_facts WHERE entity_id = e.id) AS current_facts,
       (SELECT count(DISTINCT article_id) FROM facts WHERE entity_id = e.id) AS articles,
       (SELECT count(*) FROM changes WHERE entity_id = e.id) AS changes,
       (SELECT max(detected_at) FROM changes WHERE entity_id = e.id) AS last_change, e.id AS entity_id
FROM entities e
WHERE e.merged_into IS NULL
ORDER BY e.id
"""

PROFILE = _GROUP + """
SELECT dg_label(c.attribute) AS attribute_label,
       dg_figure(c.attribute, c.value, c.approx) AS value, c.published,
       (SELECT count(DISTINCT s.article_id) FROM facts s
         WHERE s.entity_id = c.entity_id AND s.attribute = c.attribute AND s.value = c.value) AS sources,
       f.evidence, a.title AS article, f.url, e.name AS entity, e.current_name, c.attribute, e.id AS entity_id
FROM root JOIN entities e ON e.id = root.id
JOIN current_facts c ON c.entity_id = e.id
JOIN facts f ON f.id = c.fact_id
LEFT JOIN articles a ON a.id = f.article_id
ORDER BY c.attribute, c.slot
"""

HISTORY = _GROUP + """
SELECT f.published, dg_figure(f.attribute, f.value, f.approx) AS value,
       dg_label(f.attribute) AS attribute_label, f.evidence, a.title AS article, a.source,
       a.duplicate_of AS reprint_of, f.url, f.attribute
FROM facts f JOIN family ON f.entity_id = family.id
LEFT JOIN articles a ON a.id = f.article_id
WHERE f.attribute = trim(:attribute)
ORDER BY f.published, f.id
"""

RECENT_CHANGES = f"""
SELECT dg_kind(c.kind) AS kind_label, e.name AS entity,
       dg_label(c.attribute) AS attribute_label,
       dg_figure(c.attribute, c.old, {OLD_APPROX}) AS old,
       dg_figure(c.attribute, c.new, COALESCE(f.approx, '')) AS new,
       c.published, a.title AS article, c.url, c.evidence, e.current_name, c.detected_at,
       c.kind, c.attribute, e.id AS entity_id
FROM changes c JOIN entities e ON e.id = c.entity_id
LEFT JOIN facts f ON f.id = c.fact_id
LEFT JOIN articles a ON a.id = f.article_id
WHERE c.detected_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-' || coalesce(nullif(trim(:days), ''), '7') || ' days')
ORDER BY c.detected_at DESC, c.id DESC
"""

# A run lists the sources it crawled as a JSON array.
SOURCE_HEALTH = """
SELECT s.name AS source, s.first_seen, s.walked_at,
       (SELECT count(*) FROM articles WHERE source = s.name) AS articles,
       (SELECT count(*) FROM articles WHERE source = s.name AND duplicate_of IS NOT NULL) AS reprints,
       (SELECT max(published) FROM articles WHERE source = s.name) AS latest_published,
       (SELECT max(fetched_at) FROM articles WHERE source = s.name) AS last_article_fetched,
       r.started_at AS last_run, r.status AS last_run_status, r.errors AS last_run_errors, r.message AS last_run_message,
       (SELECT count(*) FROM runs x WHERE x.status <> 'finished' AND x.status <> 'running'
          AND EXISTS (SELECT 1 FROM json_each(x.sources) WHERE value = s.name)) AS runs_not_finished,
       (SELECT group_concat(e.problem || ' (' || substr(e.at, 1, 16) || ')', '、') FROM source_events e
         WHERE e.source = s.name AND """ + OPEN_PROBLEM + """) AS open_problems,
       c.crawled_at AS last_crawl, c.listings AS last_crawl_listings, c.article_links AS last_crawl_links,
       c.failures AS last_crawl_failures
FROM sources s
LEFT JOIN source_crawls c ON c.id = (SELECT max(id) FROM source_crawls WHERE source = s.name)
LEFT JOIN runs r ON r.id = (SELECT max(x.id) FROM runs x WHERE EXISTS
    (SELECT 1 FROM json_each(x.sources) WHERE value = s.name))
ORDER BY s.name
"""

# An article mentions a group when it states a fact about it or contains one of its
# names (of three characters or more: what the trigram index can look up). An unknown
# name has none: the empty phrase matches nothing.
GROUP_ARTICLES = _GROUP + """
SELECT a.published, a.title, a.source,
       (SELECT count(*) FROM facts f WHERE f.article_id = a.id AND f.entity_id IN (SELECT id FROM family)) AS facts,
       a.duplicate_of AS reprint_of, a.url, a.id
FROM articles a
WHERE a.id IN (SELECT article_id FROM facts WHERE entity_id IN (SELECT id FROM family))
   OR a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH coalesce((
        SELECT group_concat('"' || replace(alias, '"', '""') || '"', ' OR ') FROM aliases
         WHERE entity_id IN (SELECT id FROM family) AND length(alias) >= 3), '""'))
ORDER BY a.published DESC, a.id
"""

CANNED_SQL = {
    "groups": GROUPS,
    "profile": PROFILE,
    "history": HISTORY,
    "recent_changes": RECENT_CHANGES,
    "source_health": SOURCE_HEALTH,
    "group_articles": GROUP_ARTICLES,
    "search": SEARCH_SQL,
}
