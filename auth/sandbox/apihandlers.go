package sandbox

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
)

// maxVideoCount is the largest count the video list takes ("每次查询小于等于
// 20", the account video list page).
const maxVideoCount = 20

// page reads the cursor and count of a paged list of n items and returns
// the bounds of the page, the next cursor and whether more follow. The
// cursor is the offset of the page's first item; count is required, and
// limit > 0 bounds it.
func (c *apiCall) page(n, limit int) (lo, hi int, e *apiErr) {
	count, err := strconv.Atoi(c.query.Get("count"))
	switch {
	case c.query.Get("count") == "":
		return 0, 0, gatewayErr(c.codes.param, "count is required")
	case err != nil || count <= 0 || (limit > 0 && count > limit):
		return 0, 0, gatewayErr(c.codes.param, "count must be a number from 1"+upTo(limit))
	}
	cursor := 0
	if v := c.query.Get("cursor"); v != "" {
		if cursor, err = strconv.Atoi(v); err != nil || cursor < 0 {
			return 0, 0, gatewayErr(c.codes.param, "cursor must be 0 or the cursor of the previous page")
		}
	}
	lo = min(cursor, n)
	return lo, min(lo+count, n), nil
}

func upTo(limit int) string {
	if limit <= 0 {
		return ""
	}
	return " to " + strconv.Itoa(limit)
}

// pageFields adds to d the cursor of the page after the one that ends at
// hi, of n items, and whether it has any.
func pageFields(d map[string]any, hi, n int) map[string]any {
	d["cursor"] = int64(hi)
	d["has_more"] = hi < n
	return d
}

// videoList answers the account video list: the user's videos, newest
// first, by pages.
func (s *Sandbox) videoList(c *apiCall) (map[string]any, *apiErr) {
	videos := demoVideos(c.user.openID, c.now)
	lo, hi, e := c.page(len(videos), maxVideoCount)
	if e != nil {
		return nil, e
	}
	list := make([]any, 0, hi-lo)
	for _, v := range videos[lo:hi] {
		list = append(list, v.json(c.base))
	}
	return pageFields(map[string]any{"list": list}, hi, len(videos)), nil
}

// json renders v as the video list and video data answer it.
func (v demoVideo) json(base string) map[string]any {
	return map[string]any{
		"item_id":      v.itemID,
		"title":        v.title,
		"cover":        base + pathCoverPrefix + v.coverKey + ".png",
		"create_time":  v.created.Unix(),
		"is_top":       v.isTop,
		"is_reviewed":  true,
		"video_status": 1,
		"share_url":    "https://www.iesdouyin.com/share/video/" + strconv.FormatUint(v.shareID, 10) + "/",
		"statistics": map[string]any{
			"play_count":     v.play,
			"digg_count":     v.digg,
			"comment_count":  v.comment,
			"share_count":    v.share,
			"forward_count":  v.forward,
			"download_count": v.download,
		},
	}
}

// videoData answers the data of given videos: POST with the JSON body
// {"item_ids":[…]}; ids that are not the user's are left out.
func (s *Sandbox) videoData(c *apiCall) (map[string]any, *apiErr) {
	var body struct {
		ItemIDs []string `json:"item_ids"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil {
		return nil, gatewayErr(c.codes.param, "the body must be a JSON object with item_ids, a list of strings")
	}
	if len(body.ItemIDs) == 0 {
		return nil, gatewayErr(c.codes.param, "item_ids is required")
	}
	list := []any{}
	for _, v := range demoVideos(c.user.openID, c.now) {
		if slices.Contains(body.ItemIDs, v.itemID) {
			list = append(list, v.json(c.base))
		}
	}
	return map[string]any{"list": list}, nil
}

func (s *Sandbox) fansList(c *apiCall) (map[string]any, *apiErr) {
	return s.people(c, "fans")
}

func (s *Sandbox) followingList(c *apiCall) (map[string]any, *apiErr) {
	return s.people(c, "following")
}

// people answers the fans list or the following list, by pages.
func (s *Sandbox) people(c *apiCall, kind string) (map[string]any, *apiErr) {
	all := demoPeople(kind, c.user.openID)
	lo, hi, e := c.page(len(all), 0)
	if e != nil {
		return nil, e
	}
	list := make([]any, 0, hi-lo)
	for _, p := range all[lo:hi] {
		list = append(list, map[string]any{
			"open_id":  p.openID,
			"union_id": p.unionID,
			"nickname": p.nickname,
			"avatar":   c.base + pathAvatarPrefix + url.PathEscape(p.openID) + ".png",
			"city":     p.city,
			"province": p.province,
			"country":  "中国",
			"gender":   p.gender,
		})
	}
	return pageFields(map[string]any{"list": list, "total": int64(len(all))}, hi, len(all)), nil
}

// userFans answers the user's fans by day for date_type 7, 15 or 30 days.
func (s *Sandbox) userFans(c *apiCall) (map[string]any, *apiErr) {
	days, err := strconv.Atoi(c.query.Get("date_type"))
	if err != nil || (days != 7 && days != 15 && days != 30) {
		return nil, gatewayErr(c.codes.param, "date_type must be 7, 15 or 30")
	}
	list := []any{}
	for _, d := range demoFansByDay(c.user.openID, c.now, days) {
		list = append(list, map[string]any{"date": d.date, "new_fans": d.newFans, "total_fans": d.total})
	}
	return map[string]any{"result_list": list}, nil
}

// hotVideos answers the hot video billboard of the day.
func (s *Sandbox) hotVideos(c *apiCall) (map[string]any, *apiErr) {
	list := []any{}
	for i, v := range demoHotVideos(c.now) {
		list = append(list, map[string]any{
			"rank":          i + 1,
			"title":         v.title,
			"author":        v.author,
			"digg_count":    v.digg,
			"comment_count": v.comment,
			"hot_words":     v.hotWords,
			"play_count":    v.play,
			"item_cover":    c.base + pathCoverPrefix + v.coverKey + ".png",
			"hot_value":     v.hot,
			"share_url":     "https://www.iesdouyin.com/share/video/" + strconv.FormatInt(7_300_000_000_000_000_000+v.hot, 10) + "/",
		})
	}
	return map[string]any{"list": list}, nil
}
