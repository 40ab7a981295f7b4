package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The demo data is the same for the same user on the same day: it is drawn
// from generators seeded by the open_id (and the date, for what changes by
// day), so that pages, repeated calls and tests agree. Dates follow China
// Standard Time, as the platform's daily data does.

// chinaTime is UTC+8, without a dependency on the time zone database.
var chinaTime = time.FixedZone("CST", 8*60*60)

// demoRand returns a generator seeded by parts.
func demoRand(parts ...string) *rand.Rand {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(h[:8]), binary.LittleEndian.Uint64(h[8:16])))
}

// digest returns n bytes derived from parts.
func digest(n int, parts ...string) []byte {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return h[:n]
}

// today returns the start of now's day in China Standard Time.
func today(now time.Time) time.Time {
	y, m, d := now.In(chinaTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, chinaTime)
}

// demoVideo is one video of a demo user.
type demoVideo struct {
	itemID   string // as the platform shows it: "@" and base64
	shareID  uint64 // the number in its share URL
	coverKey string // names its cover image
	title    string
	created  time.Time
	isTop    bool

	// Its statistics.
	play, digg, comment, share, forward, download int64
}

var (
	videoSubjects = []string{"周末探店", "通勤穿搭", "十分钟早餐", "猫咪日常", "城市夜景", "健身打卡", "露营 vlog",
		"咖啡拉花", "旧物改造", "读书笔记", "雨天散步", "家常红烧肉", "出租屋改造", "一人食", "骑行日记", "手冲入门"}
	videoEndings = []string{"｜一镜到底", "，你学会了吗", "第 %d 期", "，记录一下", "（附教程）", "，太治愈了"}
	videoTags    = []string{"#生活记录", "#日常", "#vlog", "#美食", "#治愈系", "#打卡"}
)

// demoVideos returns the videos of openID as of now, newest first, the
// pinned one at the top.
func demoVideos(openID string, now time.Time) []demoVideo {
	r := demoRand("videos", openID)
	n := 21 + r.IntN(14)
	day := today(now)
	out := make([]demoVideo, n)
	age := time.Duration(0)
	for i := range out {
		age += time.Duration(1+r.IntN(3))*24*time.Hour + time.Duration(r.IntN(12*60))*time.Minute
		id := fmt.Sprint(i)
		ending := videoEndings[r.IntN(len(videoEndings))]
		if strings.Contains(ending, "%d") {
			ending = fmt.Sprintf(ending, n-i)
		}
		play := int64(800 + r.IntN(250000))
		out[i] = demoVideo{
			itemID:   "@" + base64.StdEncoding.EncodeToString(digest(30, "item", openID, id)),
			shareID:  7_000_000_000_000_000_000 + binary.BigEndian.Uint64(digest(8, "share", openID, id))%1_000_000_000_000_000_000,
			coverKey: hex.EncodeToString(digest(8, "cover", openID, id)),
			title:    videoSubjects[r.IntN(len(videoSubjects))] + ending + " " + videoTags[r.IntN(len(videoTags))],
			created:  day.Add(-age),
			isTop:    i == 0,
			play:     play,
			digg:     play * int64(3+r.IntN(6)) / 100,
			comment:  play * int64(2+r.IntN(8)) / 1000,
			share:    play * int64(1+r.IntN(5)) / 1000,
			forward:  play * int64(r.IntN(3)) / 1000,
			download: play * int64(r.IntN(4)) / 1000,
		}
	}
	return out
}

// demoPerson is a fan or a followed account of a demo user.
type demoPerson struct {
	openID, unionID, nickname string
	province, city            string
	gender                    int // 0 unknown, 1 male, 2 female
}

var (
	surnames  = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"}
	givens    = []string{"小雨", "子涵", "一鸣", "思远", "若曦", "浩然", "梓萱", "宇航", "欣怡", "俊杰", "雨桐", "晨阳"}
	handles   = []string{"爱吃辣的", "早起的", "不加糖的", "慢跑的", "追光的", "会做饭的", "爱旅行的", "摸鱼的"}
	creatures = []string{"猫", "兔子", "咸鱼", "小熊", "橘子", "柠檬", "海豚", "企鹅"}
	places    = [][2]string{{"上海", "上海"}, {"北京", "北京"}, {"广东", "深圳"}, {"广东", "广州"}, {"浙江", "杭州"},
		{"四川", "成都"}, {"湖北", "武汉"}, {"江苏", "南京"}, {"陕西", "西安"}, {"重庆", "重庆"}, {"福建", "厦门"}}
)

// demoPeople returns the fans (kind "fans") or the followed accounts (kind
// "following") of openID, in the order the lists page through them.
func demoPeople(kind, openID string) []demoPerson {
	r := demoRand(kind, openID)
	n := 30 + r.IntN(40)
	if kind == "following" {
		n = 12 + r.IntN(25)
	}
	out := make([]demoPerson, n)
	for i := range out {
		b := digest(16, kind, openID, fmt.Sprint(i))
		name := surnames[r.IntN(len(surnames))] + givens[r.IntN(len(givens))]
		if r.IntN(3) == 0 {
			name = handles[r.IntN(len(handles))] + creatures[r.IntN(len(creatures))]
		}
		place := places[r.IntN(len(places))]
		out[i] = demoPerson{
			openID:   fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:16]),
			unionID:  fmt.Sprintf("%x-%x-%x-%x-%x", b[8:12], b[12:14], b[14:16], b[:2], b[2:8]),
			nickname: name,
			province: place[0], city: place[1],
			gender: r.IntN(3),
		}
	}
	return out
}

// demoFansDay is one day of a demo user's fan counts.
type demoFansDay struct {
	date           string // yyyy-MM-dd
	newFans, total int64
}

// demoFansByDay returns openID's fan counts for the days days before now's
// day, oldest first: the platform's daily data ends the day before. A day's
// numbers do not depend on days, so the 7-day figures are the last of the
// 30-day ones.
func demoFansByDay(openID string, now time.Time, days int) []demoFansDay {
	day := today(now)
	total := int64(800 + demoRand("fans-total", openID).IntN(4000))
	out := make([]demoFansDay, days)
	for i := 1; i <= days; i++ {
		d := day.AddDate(0, 0, -i)
		date := d.Format(time.DateOnly)
		newFans := int64(demoRand("fans-day", openID, date).IntN(18))
		out[days-i] = demoFansDay{date: date, newFans: newFans, total: total}
		total -= newFans
	}
	return out
}

// demoHotVideo is one entry of the hot video billboard.
type demoHotVideo struct {
	title, author, hotWords, coverKey string
	play, digg, comment, hot          int64
}

var hotWords = []string{"春日", "美食", "旅行", "萌宠", "健身", "穿搭", "手工", "音乐", "夜景", "露营", "咖啡", "读书"}

// demoHotVideos returns the billboard of now's day, by rank.
func demoHotVideos(now time.Time) []demoHotVideo {
	date := today(now).Format(time.DateOnly)
	r := demoRand("hot", date)
	out := make([]demoHotVideo, 30)
	hot := int64(9_000_000 + r.IntN(3_000_000))
	for i := range out {
		hot -= int64(50_000 + r.IntN(250_000))
		play := hot * int64(8+r.IntN(6))
		words := []string{hotWords[r.IntN(len(hotWords))], hotWords[r.IntN(len(hotWords))], hotWords[r.IntN(len(hotWords))]}
		out[i] = demoHotVideo{
			title:    videoSubjects[r.IntN(len(videoSubjects))] + videoEndings[r.IntN(2)] + " " + videoTags[r.IntN(len(videoTags))],
			author:   handles[r.IntN(len(handles))] + creatures[r.IntN(len(creatures))],
			hotWords: strings.Join(words, ","),
			coverKey: hex.EncodeToString(digest(8, "hot", date, fmt.Sprint(i))),
			play:     play,
			digg:     play * int64(4+r.IntN(5)) / 100,
			comment:  play * int64(3+r.IntN(6)) / 1000,
			hot:      hot,
		}
	}
	return out
}
