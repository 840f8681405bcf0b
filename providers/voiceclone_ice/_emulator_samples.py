"""Sample data for the ICE emulator: identifiers, Chinese voice names, demonstration scripts,
and seeded jobs spread over the past in every edition and state."""

from __future__ import annotations

import random

from voiceclone_ice._emulator_store import STAGES, JobRecord, JobStore

__all__ = [
    "COSY_MODELS",
    "DEMONSTRATION_COUNT",
    "GENDERS",
    "SCENARIOS",
    "demonstrations",
    "new_job_id",
    "new_media_id",
    "new_voice_id",
    "sample_job",
    "seed_jobs",
]

GENDERS = ("female", "male")
SCENARIOS = ("story", "interaction", "navigation")
COSY_MODELS = (
    "cosyvoice-v3-plus",
    "cosyvoice-v3-flash",
    "cosyvoice-v3.5-plus",
    "cosyvoice-v3.5-flash",
)
DEMONSTRATION_COUNT = 20

_NAMES = (
    ("小专", "xiaozhuan", "female"),
    ("小美", "xiaomei", "female"),
    ("晓晓", "xiaoxiao", "female"),
    ("思琪", "siqi", "female"),
    ("雨桐", "yutong", "female"),
    ("云扬", "yunyang", "male"),
    ("小刚", "xiaogang", "male"),
    ("子轩", "zixuan", "male"),
    ("浩然", "haoran", "male"),
    ("阿杰", "ajie", "male"),
)
_DESCRIPTIONS = (
    "温柔知性的女声,适合有声书",
    "沉稳大气的男声播音",
    "活泼亲切的客服声音",
    "导航播报专用音色",
)
_SCRIPTS = (
    "今天天气晴朗,适合出门散步。",
    "请在前方路口向右转,然后直行五百米。",
    "很高兴为您服务,请问有什么可以帮您?",
    "从前有一座山,山上有一座庙。",
    "春眠不觉晓,处处闻啼鸟。",
    "您的订单已经发货,预计明天送达。",
    "前方道路拥堵,已为您重新规划路线。",
    "小明每天早上七点起床,然后去公园跑步。",
    "感谢您的耐心等待,我们马上为您处理。",
    "这本书讲述了一个关于勇气和友情的故事。",
    "请系好安全带,我们即将出发。",
    "会议将于下午三点在二楼会议室举行。",
    "秋天的树叶变成了金黄色,随风飘落。",
    "如果您需要帮助,请随时联系我们。",
    "列车即将到达终点站,请带好您的随身物品。",
    "她轻轻推开窗户,看见满天的星星。",
    "本次通话可能会被录音,以提高服务质量。",
    "继续沿当前道路行驶两公里。",
    "森林里住着一只聪明的小狐狸。",
    "祝您生活愉快,再见。",
)


def new_job_id(rng: random.Random) -> str:
    """A JobId as ICE writes them: 32 lower-case hex digits."""
    return f"{rng.getrandbits(128):032x}"


def new_media_id(rng: random.Random) -> str:
    """A media asset id: 32 lower-case hex digits."""
    return f"{rng.getrandbits(128):032x}"


def new_voice_id(rng: random.Random, job_type: str, model: str | None = None) -> str:
    """A VoiceId the service assigns to a Standard or CosyVoice job."""
    if job_type == "CosyVoice":
        return f"{model or COSY_MODELS[0]}-{rng.getrandbits(32):08x}"
    return f"standard{rng.getrandbits(48):012x}"


def demonstrations(scenario: str, now: float) -> list[dict[str, object]]:
    """The 20 scripts of ``scenario``, each with a demo-audio URL valid for 12 hours."""
    expires = int(now) + 12 * 3600
    offset = SCENARIOS.index(scenario) * 7
    return [
        {
            "AudioId": number,
            "Text": _SCRIPTS[(number - 1 + offset) % len(_SCRIPTS)],
            "DemoAudio": (
                f"https://ice-voice-demo.oss-cn-shanghai.aliyuncs.com/customized-voice/"
                f"{scenario}/{number:02d}.wav?Expires={expires}"
            ),
        }
        for number in range(1, DEMONSTRATION_COUNT + 1)
    ]


def _maybe(rng: random.Random, value: str, present: float = 0.8) -> str | None:
    """``value`` most of the time; else left out (None) or empty, as real replies vary."""
    roll = rng.random()
    if roll < present:
        return value
    return None if roll < present + (1 - present) / 2 else ""


def sample_job(store: JobStore, rng: random.Random, job_type: str, created_at: float) -> JobRecord:
    """A job of ``job_type`` with plausible fields, not yet in ``store`` and not submitted."""
    name, pinyin, gender = rng.choice(_NAMES)
    seq = store.next_seq()
    model = rng.choice(COSY_MODELS) if job_type == "CosyVoice" else None
    voice_id = f"{pinyin}{seq}" if job_type == "Basic" else new_voice_id(rng, job_type, model)
    job = JobRecord(
        job_id=new_job_id(rng),
        voice_id=voice_id,
        type=job_type,
        created_at=created_at,
        seq=seq,
        voice_name=_maybe(rng, name),
        voice_desc=_maybe(rng, rng.choice(_DESCRIPTIONS), present=0.5),
        gender=gender if job_type == "Basic" else _maybe(rng, gender),
        scenario=rng.choice(SCENARIOS) if job_type == "Basic" else None,
        model=model,
    )
    if job_type != "Basic":
        count = 1 if job_type == "CosyVoice" else rng.randint(2, 6)
        job.audios = tuple(new_media_id(rng) for _ in range(count))
        job.authentication = new_media_id(rng) if job_type == "Standard" else None
    return job


_DAY = 86400.0
_TARGETS = (
    ("Success", 10),
    ("Fail", 3),
    ("Initialization", 2),
    ("AudioDetecting", 1),
    ("PreTraining", 1),
    ("Training", 2),
)


def seed_jobs(store: JobStore, rng: random.Random, count: int, now: float) -> None:
    """Add ``count`` jobs across Basic, Standard and CosyVoice, created over the past 180 days
    (in-progress ones recently), consistent with the store's stage durations.

    The first 16 cover every (edition, state) pair that can occur, so any 16 or more seeded
    jobs include every state of every edition; the rest are drawn, mostly ``Success``.
    """
    types = ("Basic", "Standard", "CosyVoice")
    states = [state for state, _ in _TARGETS]
    weights = [weight for _, weight in _TARGETS]
    pairs = [(t, s) for t in types for s in states if t == "Basic" or s != "Initialization"]
    rng.shuffle(pairs)
    total = sum(store.stage_seconds.values())
    for index in range(count):
        if index < len(pairs):
            job_type, state = pairs[index]
        else:
            job_type = types[index % len(types)]
            state = rng.choices(states, weights)[0]
            if state == "Initialization" and job_type != "Basic":
                state = "Success"
        _seed_one(store, rng, job_type, state, now, total)


def _seed_one(
    store: JobStore, rng: random.Random, job_type: str, state: str, now: float, total: float
) -> None:
    if state in STAGES:
        start = sum(store.stage_seconds[s] for s in STAGES[: STAGES.index(state)])
        submitted = now - start - rng.uniform(0, store.stage_seconds[state]) * 0.99
        created = submitted - (rng.uniform(60, 3600) if job_type == "Basic" else 0)
    elif state == "Initialization":
        created, submitted = now - rng.uniform(0, 30 * _DAY), None
    else:
        created = now - total - rng.uniform(3 * 3600, 180 * _DAY)
        submitted = created + (rng.uniform(600, 7200) if job_type == "Basic" else 0)
    job = sample_job(store, rng, job_type, created)
    job.submitted_at = submitted
    if job_type == "Basic" and submitted is not None:
        job.detected = set(range(1, 21))
    if state == "Fail":
        job.outcome = "fail"
        job.fail_stage = rng.choice(STAGES)
    if state == "Success" and rng.random() < 0.5:
        job.demo_audio_media_id = new_media_id(rng)
    job.advance(now, store.stage_seconds)
    store.add(job)
