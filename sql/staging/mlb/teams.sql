-- purpose:   the clubs of a season, typed, from the /teams response
-- grain:     one row per team
-- keys:      team_id
-- partition: partition_date (January 1st of the season the response is for)
-- sources:   raw.mlb_teams
{%- from "staging/mlb/_latest_raw.sql" import latest_raw %}
{%- from "_macros.sql" import changed %}
{%- set columns = [
    "season", "name", "abbreviation", "team_name", "location_name", "short_name",
    "franchise_name", "club_name", "league_id", "league_name", "division_id",
    "division_name", "venue_id", "venue_name", "first_year_of_play", "active",
] %}
with latest_teams as (
    {{ latest_raw("mlb_teams") }}
),

listed_teams as (
    select
        latest_teams.raw_id,
        team
    from latest_teams
    cross join lateral jsonb_array_elements(latest_teams.payload -> 'teams') as team
),

final as (
    select distinct on (team_id)
        (team ->> 'id')::integer as team_id,
        (team ->> 'season')::integer as season,
        team ->> 'name' as name,
        team ->> 'abbreviation' as abbreviation,
        team ->> 'teamName' as team_name,
        team ->> 'locationName' as location_name,
        team ->> 'shortName' as short_name,
        team ->> 'franchiseName' as franchise_name,
        team ->> 'clubName' as club_name,
        (team -> 'league' ->> 'id')::integer as league_id,
        team -> 'league' ->> 'name' as league_name,
        (team -> 'division' ->> 'id')::integer as division_id,
        team -> 'division' ->> 'name' as division_name,
        (team -> 'venue' ->> 'id')::integer as venue_id,
        team -> 'venue' ->> 'name' as venue_name,
        (team ->> 'firstYearOfPlay')::integer as first_year_of_play,
        (team ->> 'active')::boolean as active,
        raw_id
    from listed_teams
    order by team_id asc, raw_id desc
)

-- (no `with` before `merge` in the postgres grammar of the linter:)
-- sqlfluff:ignore:parsing
merge into staging.mlb_teams as target
using final as source
    on target.team_id = source.team_id
when matched and source.season >= target.season and {{ changed(columns, "target", "source") }} then
    update set
        {%- for column in columns %}
        {{ column }} = source.{{ column }},
        {%- endfor %}
        raw_id = source.raw_id,
        updated_at = now()
when not matched then
    insert (team_id, {{ columns | join(", ") }}, raw_id)
    values (
        source.team_id,
        {%- for column in columns %}
        source.{{ column }},
        {%- endfor %}
        source.raw_id
    )
