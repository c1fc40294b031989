"""The jobs: the procrastinate app and runtime (`app`), the job step and checkpoints
(`step`), the task modules (`extract`, `transform`, `aggregate`, `periodic`) and the worker
that imports every task module (`worker`). A job is one partition of work, never one record.
"""
