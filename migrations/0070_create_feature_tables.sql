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
