-- Creates the point-in-time feature tables (batting, pitching, fantasy, context: each row
-- "as of" a date uses only games before it, and carries its feature-set version) and the
-- per-game fantasy points they and the training labels read.

create table curated.mlb_fantasy_points_game (
    scoring_system text not null,
    game_pk bigint not null,
    player_id integer not null,
    official_date date not null,
    season integer not null,
    team_id integer,
    batting_points numeric(8, 2) not null,
    pitching_points numeric(8, 2) not null,
    total_points numeric(8, 2) not null,
    updated_at timestamptz not null default now(),
    primary key (scoring_system, game_pk, player_id)
);

create index mlb_fantasy_points_game_date_idx on curated.mlb_fantasy_points_game (official_date);

create table curated.mlb_features_batting (
    feature_set_version smallint not null,
    as_of_date date not null,
    player_id integer not null,
    season integer not null,
    team_id integer not null,
    games_7d integer not null,
    plate_appearances_7d integer not null,
    avg_7d numeric(4, 3),
    obp_7d numeric(4, 3),
    slg_7d numeric(5, 3),
    ops_7d numeric(5, 3),
    home_runs_7d integer not null,
    stolen_bases_7d integer not null,
    strikeout_rate_7d numeric(4, 3),
    walk_rate_7d numeric(4, 3),
    games_14d integer not null,
    plate_appearances_14d integer not null,
    avg_14d numeric(4, 3),
    obp_14d numeric(4, 3),
    slg_14d numeric(5, 3),
    ops_14d numeric(5, 3),
    home_runs_14d integer not null,
    stolen_bases_14d integer not null,
    strikeout_rate_14d numeric(4, 3),
    walk_rate_14d numeric(4, 3),
    games_30d integer not null,
    plate_appearances_30d integer not null,
    avg_30d numeric(4, 3),
    obp_30d numeric(4, 3),
    slg_30d numeric(5, 3),
    ops_30d numeric(5, 3),
    home_runs_30d integer not null,
    stolen_bases_30d integer not null,
    strikeout_rate_30d numeric(4, 3),
    walk_rate_30d numeric(4, 3),
    games_season integer not null,
    plate_appearances_season integer not null,
    avg_season numeric(4, 3),
    obp_season numeric(4, 3),
    slg_season numeric(5, 3),
    ops_season numeric(5, 3),
    home_runs_season integer not null,
    stolen_bases_season integer not null,
    strikeout_rate_season numeric(4, 3),
    walk_rate_season numeric(4, 3),
    updated_at timestamptz not null default now(),
    primary key (feature_set_version, player_id, as_of_date)
);


create table curated.mlb_features_pitching (
    feature_set_version smallint not null,
    as_of_date date not null,
    player_id integer not null,
    season integer not null,
    team_id integer not null,
    days_since_last_appearance integer not null,
    appearances_last3 integer not null,
    starts_last3 integer not null,
    outs_last3 integer not null,
    era_last3 numeric(7, 2),
    whip_last3 numeric(7, 2),
    strikeouts_per9_last3 numeric(7, 2),
    walks_per9_last3 numeric(7, 2),
    appearances_last5 integer not null,
    starts_last5 integer not null,
    outs_last5 integer not null,
    era_last5 numeric(7, 2),
    whip_last5 numeric(7, 2),
    strikeouts_per9_last5 numeric(7, 2),
    walks_per9_last5 numeric(7, 2),
    appearances_season integer not null,
    starts_season integer not null,
    outs_season integer not null,
    era_season numeric(7, 2),
    whip_season numeric(7, 2),
    strikeouts_per9_season numeric(7, 2),
    walks_per9_season numeric(7, 2),
    updated_at timestamptz not null default now(),
    primary key (feature_set_version, player_id, as_of_date)
);


create table curated.mlb_features_fantasy (
    feature_set_version smallint not null,
    scoring_system text not null,
    as_of_date date not null,
    player_id integer not null,
    season integer not null,
    team_id integer not null,
    games_7d integer not null,
    points_per_game_7d numeric(8, 3),
    points_stddev_7d numeric(8, 3),
    games_14d integer not null,
    points_per_game_14d numeric(8, 3),
    points_stddev_14d numeric(8, 3),
    games_30d integer not null,
    points_per_game_30d numeric(8, 3),
    points_stddev_30d numeric(8, 3),
    games_season integer not null,
    points_per_game_season numeric(8, 3),
    points_stddev_season numeric(8, 3),
    updated_at timestamptz not null default now(),
    primary key (feature_set_version, scoring_system, player_id, as_of_date)
);


create table curated.mlb_features_context (
    feature_set_version smallint not null,
    as_of_date date not null,
    team_id integer not null,
    season integer not null,
    games_on_date integer not null,
    opponent_team_id integer not null,
    is_home boolean not null,
    team_games_7d integer not null,
    updated_at timestamptz not null default now(),
    primary key (feature_set_version, team_id, as_of_date)
);

-- Describe every table and column (COMMENT ON: what the docs and catalog show). A feature
-- column is <feature>_<window>; its description is the feature's, then the window's.
comment on table curated.mlb_fantasy_points_game is
    'fantasy points per scoring system, game and player: the labels of training sets';
comment on table curated.mlb_features_batting is
    'batting form as of each date, from games before that date only (feature set batting)';
comment on table curated.mlb_features_pitching is
    'pitching form as of each date, from appearances before that date only (feature set pitching)';
comment on table curated.mlb_features_fantasy is
    'fantasy points per game as of each date, from games before that date only (feature set fantasy)';
comment on table curated.mlb_features_context is
    'a club''s schedule context on each date it plays (feature set context)';

do $block$
declare
    target record;
    note text;
    feature text;
    suffix text;
    shared constant jsonb := jsonb_build_object(
        'feature_set_version', 'the version of the feature set''s definition that computed the row',
        'as_of_date', 'the date the features describe the morning of: they use only games before it',
        'player_id', 'MLB''s person id of the player',
        'season', 'the season (year) of the as-of date; no window crosses seasons',
        'team_id', 'the club: for a player, the one of his latest game before the as-of date',
        'scoring_system', 'the name of a fantasy scoring system (curated.fantasy_scoring)',
        'updated_at', 'when this row last changed (an unchanged re-run does not touch it)',
        'game_pk', 'MLB''s game id',
        'official_date', 'the official date of the game (US Eastern)',
        'batting_points', 'points from the player''s batting line of the game',
        'pitching_points', 'points from the player''s pitching line of the game',
        'total_points', 'batting plus pitching points: the label of a training row',
        'days_since_last_appearance', 'days from the pitcher''s latest appearance before the as-of date to it',
        'games_on_date', 'the club''s games on the as-of date (2: a doubleheader)',
        'opponent_team_id', 'the opposing club on the as-of date (the first game of a doubleheader)',
        'is_home', 'whether the club is at home on the as-of date (the first game of a doubleheader)',
        'team_games_7d', 'the club''s games in the 7 days before the as-of date'
    );
    features constant jsonb := jsonb_build_object(
        'games', 'games played', 'plate_appearances', 'plate appearances',
        'avg', 'batting average (hits / at-bats)',
        'obp', 'on-base percentage ((H + BB + HBP) / (AB + BB + HBP + SF))',
        'slg', 'slugging (total bases / at-bats)', 'ops', 'on-base plus slugging',
        'home_runs', 'home runs', 'stolen_bases', 'stolen bases',
        'strikeout_rate', 'strikeouts per plate appearance', 'walk_rate', 'walks per plate appearance',
        'appearances', 'appearances', 'starts', 'games started', 'outs', 'outs recorded (innings x 3)',
        'era', 'earned run average (27 x ER / outs)', 'whip', 'walks plus hits per inning (3 x (BB + H) / outs)',
        'strikeouts_per9', 'strikeouts per nine innings', 'walks_per9', 'walks per nine innings',
        'points_per_game', 'fantasy points per game',
        'points_stddev', 'sample standard deviation of fantasy points per game (consistency; null under 2 games)'
    );
    windows constant jsonb := jsonb_build_object(
        '7d', 'in the 7 days before the as-of date', '14d', 'in the 14 days before the as-of date',
        '30d', 'in the 30 days before the as-of date', 'season', 'in the season before the as-of date',
        'last3', 'over the pitcher''s last 3 appearances before the as-of date',
        'last5', 'over the pitcher''s last 5 appearances before the as-of date'
    );
begin
    for target in
        select class.relname, attribute.attname
        from pg_attribute as attribute
        inner join pg_class as class on attribute.attrelid = class.oid
        where
            class.oid in (
                'curated.mlb_fantasy_points_game'::regclass, 'curated.mlb_features_batting'::regclass,
                'curated.mlb_features_pitching'::regclass, 'curated.mlb_features_fantasy'::regclass,
                'curated.mlb_features_context'::regclass
            )
            and attribute.attnum > 0 and not attribute.attisdropped
    loop
        note := shared ->> target.attname;
        if note is null then
            suffix := substring(target.attname from '_([a-z0-9]+)$');
            feature := left(target.attname, length(target.attname) - length(suffix) - 1);
            note := (features ->> feature) || ' ' || (windows ->> suffix);
        end if;
        if note is null then
            raise exception 'no description for curated.%.%', target.relname, target.attname;
        end if;
        execute format('comment on column curated.%I.%I is %L', target.relname, target.attname, note);
    end loop;
end;
$block$;
