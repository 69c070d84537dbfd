-- _category_groups: helper (not public surface). One row per run and category key: the coarse category group and
-- the display label that run's category rules give the key (category_rules holds one row per rule; a key named by
-- several rules takes the alphabetically first group and label, so the result is one row per key).
--   run_id          run
--   category        category key as stored in kernels.category (e.g. gemm_fp8)
--   category_group  coarse group (docs/profiles.md, 'Category keys and groups', e.g. gemm)
--   label           display label of the key (e.g. GEMM FP8)
CREATE VIEW _category_groups AS
SELECT
    run_id,
    category,
    MIN(category_group) AS category_group,
    MIN(label)          AS label
FROM category_rules
GROUP BY run_id, category;
