-- Creates the typed MLB staging tables, keyed by natural keys; every row keeps the raw
-- version it came from (raw_id) and when it last changed (updated_at).
create table staging.mlb_teams (
    team_id integer primary key,
    season integer not null,
    name text not null,
    abbreviation text,
    team_name text,
    location_name text,
    short_name text,
    franchise_name text,
    club_name text,
    league_id integer,
    league_name text,
    division_id integer,
    division_name text,
    venue_id integer,
    venue_name text,
    first_year_of_play integer,
    active boolean,
    raw_id bigint not null,
    updated_at timestamptz not null default now()
);

create table staging.mlb_games (
    game_pk bigint primary key,
    season integer not null,
    official_date date not null,
    game_date timestamptz,
    game_type text not null,
    double_header text,
    game_number integer,
    detailed_state text not null,
    abstract_state text not null,
    coded_game_state text,
    status_code text,
    away_team_id integer not null,
    home_team_id integer not null,
    away_score integer,
    home_score integer,
    away_is_winner boolean,
    home_is_winner boolean,
    is_tie boolean,
    venue_id integer,
    venue_name text,
    day_night text,
    scheduled_innings integer,
    games_in_series integer,
    series_game_number integer,
    reschedule_date date,
    rescheduled_from_date date,
    raw_id bigint not null,
    updated_at timestamptz not null default now()
);

create index mlb_games_official_date_idx on staging.mlb_games (official_date);

create table staging.mlb_players (
    player_id integer primary key,
    full_name text not null,
    boxscore_name text,
    primary_position_code text,
    primary_position_abbreviation text,
    last_team_id integer,
    last_game_date date not null,
    last_game_pk bigint not null,
    raw_id bigint not null,
    updated_at timestamptz not null default now()
);

create table staging.mlb_player_batting (
    game_pk bigint not null references staging.mlb_games (game_pk),
    player_id integer not null references staging.mlb_players (player_id),
    team_id integer not null,
    official_date date not null,
    season integer not null,
    batting_order integer,
    position_abbreviation text,
    games_played integer,
    plate_appearances integer,
    at_bats integer,
    runs integer,
    hits integer,
    doubles integer,
    triples integer,
    home_runs integer,
    rbi integer,
    base_on_balls integer,
    intentional_walks integer,
    strike_outs integer,
    stolen_bases integer,
    caught_stealing integer,
    hit_by_pitch integer,
    sac_flies integer,
    sac_bunts integer,
    total_bases integer,
    left_on_base integer,
    ground_into_double_play integer,
    fly_outs integer,
    ground_outs integer,
    raw_id bigint not null,
    updated_at timestamptz not null default now(),
    primary key (game_pk, player_id)
);

create index mlb_player_batting_date_idx on staging.mlb_player_batting (official_date);
create index mlb_player_batting_player_idx on staging.mlb_player_batting (player_id, season);

create table staging.mlb_player_pitching (
    game_pk bigint not null references staging.mlb_games (game_pk),
    player_id integer not null references staging.mlb_players (player_id),
    team_id integer not null,
    official_date date not null,
    season integer not null,
    games_started integer,
    outs integer,
    innings_pitched text,
    hits integer,
    runs integer,
    earned_runs integer,
    base_on_balls integer,
    intentional_walks integer,
    strike_outs integer,
    home_runs integer,
    hit_batsmen integer,
    batters_faced integer,
    pitches integer,
    strikes integer,
    balls integer,
    wins integer,
    losses integer,
    saves integer,
    save_opportunities integer,
    holds integer,
    blown_saves integer,
    complete_games integer,
    shutouts integer,
    wild_pitches integer,
    balks integer,
    inherited_runners integer,
    inherited_runners_scored integer,
    raw_id bigint not null,
    updated_at timestamptz not null default now(),
    primary key (game_pk, player_id)
);

create index mlb_player_pitching_date_idx on staging.mlb_player_pitching (official_date);
create index mlb_player_pitching_player_idx on staging.mlb_player_pitching (player_id, season);
